import { isNotFound, type Flavor } from '../../openstack/index.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { createOnce } from '../common/create-once.js';
import { kindHandler } from '../common/handler.js';
import { taken, vanished } from '../common/marker.js';

/** A flavor as the plan's `after` describes it. */
export interface FlavorSpec {
  readonly name: string;
  readonly vcpus: number;
  readonly ramMb: number;
  readonly diskGb: number;
  readonly ephemeralGb: number;
  readonly swapMb: number;
  readonly rxtxFactor: number;
  readonly isPublic: boolean;
  readonly extraSpecs: Readonly<Record<string, string>>;
}

/**
 * Flavors, matched by their natural key, the name (Nova keeps names unique): `create` adopts
 * a flavor of that name with the same shape (vCPUs, RAM, disk, ephemeral, swap), made by a
 * crashed run, and refuses one of another shape; otherwise it creates the flavor (Nova picks
 * the id: the source's may be taken by another flavor) and sets its extra specs (secret
 * ones were fetched from the source as `$secret`s). Private flavors get their projects
 * through `flavor_access` actions. `adopt` checks the planned flavor is still there.
 */
export const flavorKind: KindHandler = kindHandler('flavor', {
  create: { create: createFlavor },
  adopt: { adopt: adoptFlavor },
});

export function flavorSpec(a: AfterValues): FlavorSpec {
  return {
    name: a.str('name'),
    vcpus: a.num('vcpus'),
    ramMb: a.num('ram'),
    diskGb: a.num('disk'),
    ephemeralGb: a.optNum('ephemeral') ?? 0,
    swapMb: a.optNum('swap') ?? 0,
    rxtxFactor: a.optNum('rxtx_factor') ?? 1,
    isPublic: a.bool('is_public', true),
    extraSpecs: a.stringMap('extra_specs'),
  };
}

/** Same shape: what a server sees of a flavor (name, id, access and extra specs aside). */
export function sameShape(f: Flavor, s: FlavorSpec): boolean {
  return f.vcpus === s.vcpus && f.ramMb === s.ramMb && f.diskGb === s.diskGb && f.ephemeralGb === s.ephemeralGb && f.swapMb === s.swapMb;
}

async function createFlavor(action: Action, ctx: StepContext): Promise<StepResult> {
  const spec = flavorSpec(new AfterValues(await ctx.resolveAfter(), action.address));
  const flavors = (await ctx.clouds.destination()).compute.flavors;
  const { value } = await createOnce(
    async () => {
      const found = (await flavors.list()).find((f) => f.name === spec.name);
      if (found && !sameShape(found, spec)) throw taken(action.address, `a flavor named '${spec.name}' of another shape`, found.id);
      return found;
    },
    () =>
      flavors.create({
        name: spec.name,
        vcpus: spec.vcpus,
        ramMb: spec.ramMb,
        diskGb: spec.diskGb,
        ephemeralGb: spec.ephemeralGb,
        swapMb: spec.swapMb,
        rxtxFactor: spec.rxtxFactor,
        isPublic: spec.isPublic,
      }),
  );
  // Setting extra specs is idempotent: done on adoption too, in case the crash came before.
  if (Object.keys(spec.extraSpecs).length > 0) await flavors.setExtraSpecs(value.id, spec.extraSpecs);
  return { destinationId: value.id, outputs: outputsOf(value) };
}

async function adoptFlavor(action: Action, ctx: StepContext): Promise<StepResult> {
  const id = ctx.recorded.destinationId ?? action.destination?.id;
  if (!id) throw vanished(action.address, 'flavor', action.destination?.name ?? '?');
  try {
    const f = await (await ctx.clouds.destination()).compute.flavors.get(id);
    return { destinationId: f.id, outputs: outputsOf(f) };
  } catch (err) {
    if (isNotFound(err)) throw vanished(action.address, 'flavor', id);
    throw err;
  }
}

function outputsOf(f: Flavor): { name: string; vcpus: number; ram: number; disk: number } {
  return { name: f.name, vcpus: f.vcpus, ram: f.ramMb, disk: f.diskGb };
}
