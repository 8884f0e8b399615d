import { badRequest, conflict, forbidden, notFound } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import type { NetworkRecord, RbacPolicyRecord } from '../../store/types/network.js';
import { invalidInput, ownerFor, policy, readOnly, resourceBody, tenantAttrs, text, type AttributeTable, type NeutronCall, type NeutronRoute } from './call.js';
import { render, renderContext } from './fields.js';
import { listReply } from './listing.js';
import { networkVisible } from './lookup.js';
import { checkQuota } from './quotas.js';
import { callbackFailed, checkPolicyRemoval } from './rbac-in-use.js';
import { addPolicy, flagsFromPolicies, reconcile, type RbacAction } from './rbac-records.js';
import { rbacPolicyFields } from './render.js';
import { touch } from './standard-attrs.js';

/**
 * `/v2.0/rbac-policies` as Zed serves it (profiles with `neutronRbac`): networks only, with
 * the `access_as_shared` and `access_as_external` actions. The other object types Zed knows
 * are accepted by name and refused with a 400, since the simulator has no such objects (Zed
 * itself answers 500 for an id that is not one of them). Lists are not paged (the extension
 * is `allow_pagination=False`: Zed ignores `limit` and sends no links).
 */

/** Zed's RBAC object types (`convert_valid_object_type`). */
const OBJECT_TYPES = ['address_group', 'address_scope', 'network', 'qos_policy', 'security_group', 'subnetpool'];
const NETWORK_ACTIONS: readonly RbacAction[] = ['access_as_shared', 'access_as_external'];
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** The policy engine's words for a project sharing with everyone (`restrict_wildcard`). */
const WILDCARD_DENIED =
  '((((rule:create_rbac_policy and rule:create_rbac_policy:object_type) and rule:create_rbac_policy:object_id) and rule:create_rbac_policy:target_tenant) and rule:create_rbac_policy:action) is disallowed by policy';

function attributes(c: NeutronCall): AttributeTable {
  return {
    ...readOnly('id'),
    object_type: { post: true, put: false, required: true },
    object_id: { post: true, put: false, required: true },
    action: { post: true, put: false, required: true },
    target_tenant: { post: true, put: true, required: true },
    ...tenantAttrs(c.profile),
  };
}

const reply = (c: NeutronCall, status: number, p: RbacPolicyRecord) => json(status, { rbac_policy: render(rbacPolicyFields(), p, renderContext(c.store, c.profile, c.isAdmin, c.projectId)) });

/** Admins see every policy; a project its own (policy `admin_or_owner`), not those naming it. */
const visible = (c: NeutronCall, p: RbacPolicyRecord) => c.isAdmin || p.projectId === c.projectId;

function policyOf(c: NeutronCall): RbacPolicyRecord {
  const id = c.req.params['id'] ?? '';
  const p = c.store.rbacPolicies.get(id);
  // Zed scans every RBAC table for the id first: "unknown" when none holds it.
  if (!p) throw notFound(`RBAC policy of type unknown with ID ${id} not found`, 'RbacPolicyNotFound');
  if (!visible(c, p)) throw notFound(`RBAC policy of type ${p.objectType} with ID ${id} not found`, 'RbacPolicyNotFound');
  return p;
}

function networkOfPolicy(c: NeutronCall, p: RbacPolicyRecord): NetworkRecord {
  const n = c.store.networks.get(p.objectId);
  if (!n) throw new Error(`rbac policy ${p.id} outlived network ${p.objectId}`);
  return n;
}

function list(c: NeutronCall): SimReply {
  reconcile(c.store);
  return listReply(c, {
    collection: 'rbac_policies', urlPath: '/v2.0/rbac-policies', rows: c.store.rbacPolicies.values(), visible: (p) => visible(c, p), fields: rbacPolicyFields(),
    notFound: (id) => notFound(`RBAC policy of type unknown with ID ${id} not found`, 'RbacPolicyNotFound'), exists: (id) => c.store.rbacPolicies.has(id), unpaged: true,
  });
}

function show(c: NeutronCall): SimReply {
  reconcile(c.store);
  return reply(c, 200, policyOf(c));
}

/** The network a new policy is on: visible to the caller and, unless admin, its own (400s from the plugin's callbacks). */
function targetNetwork(c: NeutronCall, id: string): NetworkRecord {
  const n = c.store.networks.get(id);
  if (!n || !networkVisible(c, n)) throw callbackFailed(`Network ${id} could not be found.`);
  if (!c.isAdmin && n.projectId !== c.projectId) throw callbackFailed('Invalid input for operation: Only admins can manipulate policies on networks they do not own.');
  return n;
}

async function create(c: NeutronCall): Promise<SimReply> {
  reconcile(c.store);
  const b = await resourceBody(c, 'rbac_policy', attributes(c), 'create');
  const objectType = typeof b['object_type'] === 'string' ? b['object_type'].trim().toLowerCase() : String(b['object_type']);
  if (!OBJECT_TYPES.includes(objectType)) throw invalidInput(`'${String(b['object_type'])}' is not a valid RBAC object type`);
  const objectId = b['object_id'];
  if (typeof objectId !== 'string' || !UUID.test(objectId)) throw badRequest(`Invalid input for object_id. Reason: '${String(objectId)}' is not a valid UUID.`);
  const action = text('action', b['action']);
  const target = text('target_tenant', b['target_tenant']);
  if (!c.isAdmin && target === '*') throw forbidden(WILDCARD_DENIED, 'PolicyNotAuthorized');
  const projectId = ownerFor(c, b);
  checkQuota(c, 'rbac_policy', projectId);
  if (objectType !== 'network') throw invalidInput(`the simulator keeps RBAC policies of networks only, not of object type '${objectType}'`);
  const n = targetNetwork(c, objectId);
  if (!NETWORK_ACTIONS.includes(action as RbacAction)) {
    throw badRequest(`Invalid action '${action}' for object type 'network'. Valid actions: (${NETWORK_ACTIONS.map((a) => `'${a}'`).join(', ')})`, 'InvalidActionForType');
  }
  if (duplicate(c, n.id, action, target)) throw duplicateError();
  const p = addPolicy(c.store, { objectType: 'network', objectId: n.id, action: action as RbacAction, targetTenant: target, projectId });
  changed(c, n);
  return reply(c, 201, p);
}

/** Only `target_tenant` changes; the project losing access must not depend on it. */
async function update(c: NeutronCall): Promise<SimReply> {
  reconcile(c.store);
  const p = policyOf(c);
  const b = await resourceBody(c, 'rbac_policy', attributes(c), 'update');
  if (b['target_tenant'] === undefined) return reply(c, 200, p);
  const target = text('target_tenant', b['target_tenant']);
  if (!c.isAdmin && target === '*') throw policy('update_rbac_policy', 'target_tenant');
  const n = networkOfPolicy(c, p);
  checkPolicyRemoval(c.store, n, p, target);
  if (target !== p.targetTenant && duplicate(c, n.id, p.action, target)) throw duplicateError();
  p.targetTenant = target;
  // An in-place edit: the policy index must not outlive it.
  c.store.touch();
  changed(c, n);
  return reply(c, 200, p);
}

function remove(c: NeutronCall): SimReply {
  reconcile(c.store);
  const p = policyOf(c);
  const n = networkOfPolicy(c, p);
  checkPolicyRemoval(c.store, n, p);
  c.store.rbacPolicies.delete(p.id);
  changed(c, n);
  return empty(204);
}

const duplicate = (c: NeutronCall, objectId: string, action: string, target: string) =>
  c.store.rbacPolicies.find((p) => p.objectId === objectId && p.action === action && p.targetTenant === target) !== undefined;

const duplicateError = () => conflict('An RBAC policy already exists with those values.', 'DuplicateRbacPolicy');

/** The network's flags follow its policies, and its revision moves (as Zed's does). */
function changed(c: NeutronCall, n: NetworkRecord): void {
  flagsFromPolicies(c.store, n);
  touch(c.store, 'networks', n.id, n.createdAt);
}

export function rbacPolicyRoutes(): NeutronRoute[] {
  return [
    { method: 'GET', path: '/rbac-policies', handler: list },
    { method: 'POST', path: '/rbac-policies', handler: create },
    { method: 'GET', path: '/rbac-policies/{id}', handler: show },
    { method: 'PUT', path: '/rbac-policies/{id}', handler: update },
    { method: 'DELETE', path: '/rbac-policies/{id}', handler: remove },
  ];
}
