import { PumphouseError } from '../../errors/index.js';
import { emit } from '../../events/index.js';
import type { Marker } from '../../inventory/types.js';
import type { Cloud, NetworkClient, TaggableCollection } from '../../openstack/index.js';
import type { StepContext } from '../contract.js';
import type { NeutronMarks, NeutronRecord } from './neutron-marked.js';

/** The destination's Neutron; PH_CLOUD_UNSUPPORTED on a nova-network destination. */
export async function neutronOf(ctx: StepContext, address: string): Promise<{ cloud: Cloud; net: NetworkClient }> {
  const cloud = await ctx.clouds.destination();
  if (!cloud.network) {
    throw new PumphouseError('PH_CLOUD_UNSUPPORTED', `${address}: the destination has no Neutron (network service); pumphouse only migrates into Neutron`, {
      address,
    });
  }
  return { cloud, net: cloud.network };
}

/**
 * The scope marker lookups search: the object's project, or for a global object (shared
 * networks translated from FlatDHCP) the project of the token apply acts with, which owns it.
 */
export function projectScope(cloud: Cloud, projectId: string | null): { tenant_id: string } | Record<string, never> {
  const id = projectId ?? cloud.session.projectId;
  return id ? { tenant_id: id } : {};
}

/** The `description` member of a create request, absent when the cloud takes none. */
export function descriptionOf(description: string | undefined): { description?: string } {
  return description === undefined ? {} : { description };
}

/**
 * The `description` of a create: the source's text (the plan's `after.description`, absent
 * when the source had none) with the marker appended, cut to Neutron's 255 characters. A
 * destination that stores no descriptions gets none, with a warning when the source had one.
 */
export function createDescription(ctx: StepContext, address: string, marks: NeutronMarks, source: string | null, marker: Marker): { description?: string } {
  if (source && !marks.hasDescriptions) {
    const summary = `${address}: the destination Neutron stores no descriptions (no standard-attr-description extension); the source description is not copied`;
    emit(ctx.reporter, 'diagnostic', 'warn', summary, { severity: 'warning', summary, address });
  }
  return descriptionOf(marks.description(source, marker));
}

/**
 * Tags the made (or found) object with the marker and the source's own tags `after.tags`
 * carries; the tags the destination could not take are a warning, not a failure (the object
 * is whole without them).
 */
export async function tagCopy(ctx: StepContext, address: string, marks: NeutronMarks, collection: TaggableCollection, record: NeutronRecord, marker: Marker, own: readonly string[]): Promise<void> {
  const left = await marks.tag(collection, record, marker, own);
  if (left.length === 0) return;
  const summary = `${address}: the destination Neutron does not take these source tags on ${collection}, so they are not copied: ${left.join(', ')}`;
  emit(ctx.reporter, 'diagnostic', 'warn', summary, { severity: 'warning', summary, address });
}

/**
 * `port_security_enabled` as planned: off always (the planner made it an error where the
 * destination lacks the extension), on only where the destination has the extension (one
 * without it answers 400 to the attribute, and filters every port anyway).
 */
export function portSecurity(planned: boolean | null, extensions: ReadonlySet<string>): { portSecurityEnabled?: boolean } {
  if (planned === false) return { portSecurityEnabled: false };
  return planned === true && extensions.has('port-security') ? { portSecurityEnabled: true } : {};
}
