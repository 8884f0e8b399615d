import type { Flavor } from '../inventory/index.js';
import type { Attributes } from '../plan/index.js';
import type { PlanContext } from './context.js';
import { decide } from './decide.js';
import { refTo, type Handle } from './draft.js';
import { destinationAbsent, sourceMatch } from './facts.js';
import { freeForm } from './free-form.js';
import { all } from './indexes.js';
import { addr, child, seg, uniqueNames } from './names.js';
import { byCodeUnits } from '../json/code-unit-order.js';

/**
 * Flavors in scope (`used` by migrated servers, or `all`) and their access lists. A flavor is
 * matched, not duplicated, when the destination has an identical one (same vcpus, RAM, disk,
 * ephemeral, swap and extra specs; a public one first for a public flavor), or when
 * options.flavor_map names its counterpart. A public flavor whose counterpart is private gets
 * access for every migrated tenant: its users could use it in the source.
 */
export function planFlavors(ctx: PlanContext): void {
  const flavors = flavorsInScope(ctx);
  const names = uniqueNames(flavors, (f) => f.name, (f) => f.id);
  for (const f of flavors) {
    const address = addr(seg('flavor', names.get(f.id)!));
    const h = planFlavor(ctx, f, address);
    if (h) planAccess(ctx, f, h, address);
  }
}

/** The source flavor a server runs with (by id, or by name for Nova 2.47+ embedded flavors). */
export function serverFlavor(ctx: PlanContext, flavorId: string | null, flavorName: string | null): Flavor | undefined {
  if (flavorId !== null) {
    const f = ctx.s.flavorsById.get(flavorId);
    if (f) return f;
  }
  return flavorName !== null ? all(ctx.s.flavorsByName, flavorName)[0] : undefined;
}

function flavorsInScope(ctx: PlanContext): readonly Flavor[] {
  if (ctx.desired.flavors === 'all') return ctx.src.flavors;
  const ids = new Set<string>();
  for (const t of ctx.tenants) {
    for (const sv of t.migrated) {
      const f = serverFlavor(ctx, sv.flavorId, sv.flavorName);
      if (f) ids.add(f.id);
    }
  }
  return ctx.src.flavors.filter((f) => ids.has(f.id));
}

/** Same shape: what a server sees of a flavor. Name, id and access do not count. */
export function sameSpec(a: Flavor, b: Flavor): boolean {
  if (a.vcpus !== b.vcpus || a.ramMb !== b.ramMb || a.diskGb !== b.diskGb) return false;
  if (a.ephemeralGb !== b.ephemeralGb || a.swapMb !== b.swapMb) return false;
  const ka = Object.keys(a.extraSpecs);
  if (ka.length !== Object.keys(b.extraSpecs).length) return false;
  return ka.every((k) => b.extraSpecs[k] === a.extraSpecs[k]);
}

function planFlavor(ctx: PlanContext, f: Flavor, address: string): Handle | undefined {
  const mapped = ctx.desired.options.flavorMap[f.name];
  let natural: { id: string; why: string } | null = null;
  if (mapped !== undefined) {
    const target = all(ctx.d.flavorsByName, mapped)[0];
    if (!target) {
      ctx.draft.error(`options.flavor_map maps '${f.name}' to '${mapped}', which the destination does not have`, address);
      ctx.draft.skipped++;
      return undefined;
    }
    natural = { id: target.id, why: `options.flavor_map maps it to the destination flavor '${mapped}'` };
  } else {
    const identical = ctx.dst.flavors
      .filter((d) => sameSpec(f, d))
      .sort((a, b) => Number(b.isPublic || !f.isPublic) - Number(a.isPublic || !f.isPublic) || Number(b.name === f.name) - Number(a.name === f.name) || byCodeUnits(a.name, b.name) || byCodeUnits(a.id, b.id));
    const best = identical[0];
    if (best) {
      natural = { id: best.id, why: `the destination flavor '${best.name}' is identical; it is used` };
    } else if (ctx.memory.resolve('flavor', f.id).state === 'none' && all(ctx.d.flavorsByName, f.name).length > 0) {
      ctx.draft.error(
        `flavor '${f.name}' exists in the destination with a different shape`,
        address,
        `source: ${shape(f)}; map it to a destination flavor with options.flavor_map`,
      );
      ctx.draft.skipped++;
      return undefined;
    }
  }
  const d = decide(ctx.memory.resolve('flavor', f.id), { make: 'create', natural });
  const dst = d.destinationId ? ctx.d.flavorsById.get(d.destinationId) : undefined;
  const narrower = f.isPublic && dst && !dst.isPublic;
  return ctx.draft.add(
    f.id,
    {
      address,
      kind: 'flavor',
      action: d.action,
      reason: d.reason,
      source: { cloud: 'source', id: f.id, name: f.name },
      destination: { name: dst?.name ?? f.name, ...(d.destinationId ? { id: d.destinationId } : {}) },
      before: dst ? flavorAttrs(dst) : null,
      after: flavorAttrs(f),
      ...(narrower && d.action !== 'no-op'
        ? { warnings: [`it is public, and the destination flavor '${dst.name}' it is matched to is private: each migrated tenant is granted access to it; other destination projects cannot use it`] }
        : {}),
      preconditions:
        d.action === 'create'
          ? [
              sourceMatch('nova', 'flavors', f.id, { name: f.name, vcpus: f.vcpus, ramMb: f.ramMb, diskGb: f.diskGb }),
              destinationAbsent('nova', 'flavors', 'name', f.name),
            ]
          : [],
    },
    d.destinationId,
  );
}

/**
 * Access to the copy for each tenant that could use the source flavor: those on a private
 * flavor's access list, or every migrated tenant when a public flavor is matched to a private
 * destination flavor. Nothing where the destination flavor is (or will be made) public.
 */
function planAccess(ctx: PlanContext, f: Flavor, fh: Handle, flavorAddress: string): void {
  const dst = fh.destinationId ? ctx.d.flavorsById.get(fh.destinationId) : undefined;
  if (dst ? dst.isPublic : f.isPublic) return; // every project may use it already
  const projects = f.isPublic ? ctx.tenants.map((t) => t.project.id) : f.access;
  for (const projectId of [...projects].sort()) {
    const t = ctx.tenantByProject.get(projectId);
    if (!t) continue;
    const key = `${f.id}/${projectId}`;
    const dstProject = t.handle?.destinationId;
    const natural =
      dst && dstProject && dst.access.includes(dstProject)
        ? { id: `${dst.id}/${dstProject}`, why: 'the destination flavor already grants this project access' }
        : null;
    const d = decide(ctx.memory.resolve('flavor_access', key), { make: 'create', natural });
    ctx.draft.add(
      key,
      {
        address: child(flavorAddress, seg('access', t.name)),
        kind: 'flavor_access',
        action: d.action,
        reason: d.reason,
        deps: [fh, t.handle],
        tenant: t.name,
        source: { cloud: 'source', id: key, name: `${f.name}/${t.project.name}` },
        after: { flavor_id: refTo(fh), project_id: refTo(t.handle) },
        preconditions: d.action === 'create' ? [sourceMatch('nova', 'flavors', f.id, { isPublic: f.isPublic })] : [],
      },
      d.destinationId,
    );
  }
}

function flavorAttrs(f: Flavor): Attributes {
  return {
    name: f.name,
    vcpus: f.vcpus,
    ram: f.ramMb,
    disk: f.diskGb,
    ephemeral: f.ephemeralGb,
    swap: f.swapMb,
    rxtx_factor: f.rxtxFactor,
    is_public: f.isPublic,
    extra_specs: freeForm(f.extraSpecs, 'nova', 'flavor_extra_specs', f.id),
  };
}

function shape(f: Flavor): string {
  return `${f.vcpus} vCPU, ${f.ramMb} MB RAM, ${f.diskGb} GB disk, ${f.ephemeralGb} GB ephemeral, ${f.swapMb} MB swap`;
}
