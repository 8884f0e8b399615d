import type { Port, Server } from '../inventory/index.js';
import type { ActionType, AttributeValue, Impact, Reason, SourceObject } from '../plan/index.js';
import { standardSteps } from '../plan/index.js';
import type { PlanContext, TenantScope } from './context.js';
import { decide } from './decide.js';
import { NO_IMPACT, refTo, type Handle } from './draft.js';
import { sourceMatch } from './facts.js';
import { freeForm } from './free-form.js';
import { missingKeypairWarning } from './keypair.js';
import { serverFlavor } from './flavor.js';
import { BOOT_S, GIB, QUIESCE_S, transferSeconds } from './impact.js';
import { all } from './indexes.js';
import { childAt, uniqueNames } from './names.js';
import { ownerKeypairsFor } from './owner-keypairs.js';
import { RUNNING } from './volume.js';

/** Statuses a server can be migrated from; anything else (ERROR, BUILD, RESIZE...) waits. */
const MIGRATABLE = new Set(['ACTIVE', 'SHUTOFF', 'SUSPENDED', 'PAUSED']);

/** Fills ctx.migratedServers; servers in other statuses are reported and left out. */
export function selectMigratable(ctx: PlanContext): void {
  for (const t of ctx.tenants) {
    for (const sv of t.servers) {
      const known = ctx.memory.stateOf('server', sv.id)?.status === 'ready';
      if (MIGRATABLE.has(sv.status) || known) {
        ctx.migratedServers.add(sv.id);
        t.migrated.push(sv);
        t.nics.push(all(ctx.net.portsByServer, sv.id));
      } else {
        ctx.draft.warn(`server '${sv.name}' is ${sv.status}; it is migrated once it is ACTIVE, SHUTOFF, SUSPENDED or PAUSED`, t.address);
        ctx.draft.skipped++;
      }
    }
  }
}

/** Servers of the migrated tenants, then what happens to each source copy. */
export function planServers(ctx: PlanContext): void {
  const complete = (id: string): boolean => {
    const status = ctx.d.serversById.get(id)?.status;
    return status === 'ACTIVE' || status === 'SHUTOFF';
  };
  for (const t of ctx.tenants) {
    const names = uniqueNames(t.servers, (sv) => sv.name, (sv) => sv.id);
    const lookups = new TenantLookups(ctx, t);
    for (let k = 0; k < t.migrated.length; k++) {
      const sv = t.migrated[k]!;
      const address = childAt(t.address, 'server', names.get(sv.id)!);
      const fips: Handle[] = [];
      const ports = t.nics[k]!;
      for (const p of ports) {
        for (const f of all(ctx.net.floatingIpsByPort, p.id)) {
          const h = ctx.draft.get('floating_ip', f.id);
          if (h) fips.push(h);
        }
      }
      const source: SourceObject = { cloud: 'source', id: sv.id, name: sv.name };
      const h = planServer(ctx, t, sv, address, lookups, ports, fips, source, complete);
      planSourceAfter(ctx, t, sv, address, h, fips, source);
    }
  }
}

/**
 * What the servers of one tenant look up many times (their groups by name, their flavor's
 * access, their owner's keypair), each looked up once per tenant.
 */
class TenantLookups {
  readonly #groups = new Map<string, Handle | undefined>();
  readonly #access = new Map<string, Handle | undefined>();
  readonly #keypairs = new Map<string, Map<string, Handle | undefined>>();

  constructor(
    private readonly ctx: PlanContext,
    private readonly t: TenantScope,
  ) {
    for (const g of all(ctx.s.securityGroupsByProject, t.project.id)) {
      // The first group of a name wins, as a search by name would find it.
      if (!this.#groups.has(g.name)) this.#groups.set(g.name, ctx.draft.get('security_group', g.id));
    }
  }

  /** Handles of the server's groups (by name, in the server's project), without repeats. */
  groups(sv: Server): Handle[] {
    if (sv.projectId !== this.t.project.id) return groupHandles(this.ctx, sv);
    const out: Handle[] = [];
    for (const name of sv.securityGroupNames) {
      const h = this.#groups.get(name);
      if (h && !out.includes(h)) out.push(h);
    }
    return out;
  }

  /** The tenant's access to `flavorId` (private flavors). */
  access(flavorId: string): Handle | undefined {
    if (this.#access.has(flavorId)) return this.#access.get(flavorId);
    const h = this.ctx.draft.get('flavor_access', `${flavorId}/${this.t.project.id}`);
    this.#access.set(flavorId, h);
    return h;
  }

  /** The keypair action the server's key comes from: its own copy, or its owner's keypairs. */
  keypair(sv: Server, keyName: string): Handle | undefined {
    let byName = this.#keypairs.get(sv.userId);
    if (!byName) {
      byName = new Map();
      this.#keypairs.set(sv.userId, byName);
    }
    if (byName.has(keyName)) return byName.get(keyName);
    const h = this.ctx.draft.get('keypair', `${sv.userId}/${keyName}`) ?? ownerKeypairsFor(this.ctx, sv);
    byName.set(keyName, h);
    return h;
  }
}

function planServer(
  ctx: PlanContext,
  t: TenantScope,
  sv: Server,
  address: string,
  lookups: TenantLookups,
  nics: readonly Port[],
  fips: readonly Handle[],
  source: SourceObject,
  complete: (destinationId: string) => boolean,
): Handle {
  const warnings: string[] = [];
  const flavor = serverFlavor(ctx, sv.flavorId, sv.flavorName);
  const fh = flavor ? ctx.draft.get('flavor', flavor.id) : undefined;
  if (!fh) {
    ctx.draft.error(
      `server '${sv.name}' runs flavor ${sv.flavorName ?? sv.flavorId ?? '?'}, which has no destination counterpart`,
      address,
      'the flavor is gone from the source or could not be matched; map it with options.flavor_map',
    );
  }
  const access = flavor ? t.handle && lookups.access(flavor.id) : undefined;
  const image = sv.imageId ? ctx.draft.get('image', sv.imageId) : undefined;
  let keypair: Handle | undefined;
  if (sv.keyName !== null) {
    keypair = lookups.keypair(sv, sv.keyName);
    if (!keypair) warnings.push(missingKeypairWarning(ctx, sv));
  }
  const groups = lookups.groups(sv);
  const ports: Handle[] = [];
  for (const p of nics) {
    const h = ctx.draft.get('port', p.id);
    if (h !== undefined) ports.push(h);
  }
  const volumes: { h: Handle; device: string | null; bootable: boolean }[] = [];
  for (const id of sv.attachedVolumeIds) {
    const v = ctx.s.volumesById.get(id);
    const h = ctx.draft.get('volume', id);
    if (!h || !v) {
      warnings.push(`attached volume ${id} is not migrated; the server comes up without it`);
      continue;
    }
    volumes.push({ h, device: v.attachments.find((a) => a.serverId === sv.id)?.device ?? null, bootable: v.bootable });
  }
  const fromVolume = sv.imageId === null;
  const root = fromVolume ? (volumes.find((v) => v.device === '/dev/vda' && v.bootable) ?? volumes.find((v) => v.bootable)) : undefined;
  if (fromVolume && !root) {
    ctx.draft.error(`server '${sv.name}' boots from a volume that is not migrated`, address);
  }
  const d = decide(ctx.memory.resolve('server', sv.id), { make: 'migrate', complete });
  const group = d.action === 'migrate' ? ctx.s.serverGroupByMember.get(sv.id) : undefined;
  const gh = group ? ctx.draft.get('server_group', group.id) : undefined;
  if (group && !gh) {
    // The group is another project's, or of no known project: there is no copy to boot into.
    warnings.push(`it is in server group '${group.name}' (${group.policy}), which is not migrated: its copy is placed without that rule`);
  }
  if (d.action === 'migrate') {
    for (const p of nics) {
      // Trunks are not migrated: the parent port's copy is a plain port.
      if (p.trunk) warnings.push(`its NIC ${p.macAddress} is the parent of trunk ${p.trunk.id} with ${p.trunk.subports} subport(s) (a VLAN-aware VM): trunks are not migrated, so the copy's tagged sub-interfaces get no network`);
    }
  }
  if (d.action === 'migrate' && flavor && flavor.ephemeralGb > 0) {
    // The copy is a snapshot of the root disk: nothing reads the ephemeral disk, and the
    // destination flavor gives the copy a new, empty one.
    warnings.push(`its flavor has a ${flavor.ephemeralGb} GB ephemeral disk, which is not copied: the copy boots with an empty one (what the guest keeps there is lost)`);
  }
  const mode = ctx.desired.options.serverConsistency;
  const quiesce = RUNNING.has(sv.status) && mode !== 'live';
  // Its volumes are copied first, and their quiesce_server step leaves it stopped or
  // suspended: by the time this action's preconditions are read, the status has moved.
  const quiescedByVolumes = quiesce && volumes.length > 0;
  const diskBytes = fromVolume ? 0 : Math.max((flavor?.diskGb ?? 0) * GIB, imageBytes(ctx, sv));
  const deps: (Handle | undefined)[] = [t.handle, fh, access, image, keypair, gh];
  for (const h of groups) deps.push(h);
  for (const h of ports) deps.push(h);
  const attached: AttributeValue[] = [];
  for (const v of volumes) {
    deps.push(v.h);
    if (v !== root) attached.push({ volume_id: refTo(v.h), device: v.device });
  }
  for (const h of fips) deps.push(h);
  const after: Record<string, AttributeValue> = {
    name: sv.name,
    project_id: refTo(t.handle),
    flavor_id: fh ? refTo(fh) : null,
    image_id: image ? refTo(image) : null,
    boot_from: fromVolume ? 'volume' : 'snapshot',
    root_volume_id: root ? refTo(root.h) : null,
    key_name: keypair ? sv.keyName : null,
    keypair_user_id: keypair ? refTo(ctx.users.get(sv.userId)?.handle) : null,
    security_groups: refsTo(groups),
    ports: refsTo(ports),
    volumes: attached,
    floating_ips: refsTo(fips),
    metadata: freeForm(sv.metadata, 'nova', 'server_metadata', sv.id),
    consistency: mode,
    status: sv.status === 'SHUTOFF' ? 'SHUTOFF' : 'ACTIVE',
  };
  // Its guest may read its network and keys only from there (no metadata route); only when set, so other servers keep their text.
  if (sv.configDrive) after.config_drive = true;
  // The copy boots into the group's copy (Nova's `group` scheduler hint); only when in one.
  if (gh) after.server_group = refTo(gh);
  // What a failure restores, when the precondition cannot pin the status.
  if (quiescedByVolumes) after.source_status = sv.status;
  return ctx.draft.add(
    sv.id,
    {
      address,
      kind: 'server',
      action: d.action,
      reason: d.reason,
      deps,
      tenant: t.name,
      scopedTo: t.address,
      host: sv.host || undefined,
      source,
      destination: d.destinationId ? { name: sv.name, id: d.destinationId } : { name: sv.name },
      before: d.destinationId ? { status: ctx.d.serversById.get(d.destinationId)?.status ?? null } : null,
      after,
      preconditions:
        d.action === 'migrate'
          ? [
              sourceMatch(
                'nova',
                'servers',
                sv.id,
                quiescedByVolumes
                  ? { host: sv.host, flavorId: sv.flavorId }
                  : { status: sv.status, host: sv.host, flavorId: sv.flavorId },
              ),
            ]
          : NONE,
      impact: d.action === 'migrate' ? serverImpact(sv, diskBytes, quiesce) : NO_IMPACT,
      steps: serverSteps(d.action, quiesce, fromVolume, volumes.length > (root ? 1 : 0), fips.length > 0),
      warnings,
    },
    d.destinationId,
  );
}

const NONE: readonly never[] = Object.freeze([]);

function refsTo(handles: readonly Handle[]): AttributeValue[] {
  const out = new Array<AttributeValue>(handles.length);
  for (let i = 0; i < handles.length; i++) out[i] = refTo(handles[i]);
  return out;
}

// One step list per (action, which optional steps apply): the filter below runs once per
// combination instead of once per server.
const STEP_LISTS = new Map<string, (readonly string[] | undefined)[]>();

function serverSteps(action: ActionType, quiesce: boolean, fromVolume: boolean, extraVolumes: boolean, fips: boolean): readonly string[] {
  let lists = STEP_LISTS.get(action);
  if (!lists) {
    lists = [];
    STEP_LISTS.set(action, lists);
  }
  const key = (quiesce ? 1 : 0) | (fromVolume ? 2 : 0) | (extraVolumes ? 4 : 0) | (fips ? 8 : 0);
  let steps = lists[key];
  if (!steps) {
    steps = standardSteps('server', action).filter(
      (s) =>
        (s !== 'quiesce' || quiesce) &&
        ((s !== 'snapshot' && s !== 'transfer') || !fromVolume) &&
        (s !== 'attach_volumes' || extraVolumes) &&
        (s !== 'floating_ip' || fips),
    );
    lists[key] = steps;
  }
  return steps;
}

function groupHandles(ctx: PlanContext, sv: Server): Handle[] {
  const groups = all(ctx.s.securityGroupsByProject, sv.projectId);
  const out: Handle[] = [];
  for (const name of sv.securityGroupNames) {
    const g = groups.find((x) => x.name === name);
    const h = g ? ctx.draft.get('security_group', g.id) : undefined;
    if (h && !out.includes(h)) out.push(h);
  }
  return out;
}

function imageBytes(ctx: PlanContext, sv: Server): number {
  return (sv.imageId ? ctx.s.imagesById.get(sv.imageId)?.sizeBytes : null) ?? 0;
}

/**
 * A running server is down from its quiesce to the destination copy's boot (stop/suspend);
 * with `live` consistency only the cut-over counts. A stopped server has no downtime.
 */
function serverImpact(sv: Server, bytes: number, quiesce: boolean): Impact {
  const running = RUNNING.has(sv.status);
  const copy = transferSeconds(bytes);
  const estimate = (quiesce ? QUIESCE_S : 0) + copy + BOOT_S;
  return running
    ? { downtime: true, destructive: false, irreversible: false, bytes, estimate_s: estimate, downtime_s: quiesce ? estimate : BOOT_S }
    : { downtime: false, destructive: false, irreversible: false, bytes, estimate_s: estimate };
}

// One shared reason object per case: every migrated server has a source_after action.
const KEEP_REASON: Reason = { code: 'source_after_manifest', text: 'the manifest keeps the source copy' };
const STOPPED_REASON: Reason = { code: 'source_after_manifest', text: 'the source copy is already stopped' };
const STOP_REASON: Reason = { code: 'source_after_manifest', text: 'the manifest says stop the source copy once the destination copy runs' };
const DELETE_REASON: Reason = { code: 'source_after_manifest', text: 'the manifest says delete the source copy once the destination copy runs' };

/** keep -> no-op; stop -> stop the source copy; delete -> delete it (irreversible). */
function planSourceAfter(
  ctx: PlanContext,
  t: TenantScope,
  sv: Server,
  serverAddress: string,
  server: Handle,
  fips: readonly Handle[],
  source: SourceObject,
): void {
  const mode = t.desired.sourceAfter;
  const done = mode === 'keep' || (mode === 'stop' && sv.status === 'SHUTOFF');
  const action = done ? 'no-op' : mode;
  const deps: Handle[] = [server];
  for (const h of fips) deps.push(h);
  ctx.draft.add(sv.id, {
    address: childAt(serverAddress, 'source_after'),
    kind: 'source_after',
    action,
    reason: mode === 'keep' ? KEEP_REASON : done ? STOPPED_REASON : mode === 'stop' ? STOP_REASON : DELETE_REASON,
    deps,
    tenant: t.name,
    host: sv.host || undefined,
    source,
    after: { server_id: sv.id, mode },
    preconditions: done ? NONE : [sourceMatch('nova', 'servers', sv.id, { host: sv.host })],
    impact: action === 'delete' ? DELETE_IMPACT : NO_IMPACT,
  });
}

const DELETE_IMPACT: Impact = Object.freeze({ downtime: false, destructive: true, irreversible: true });
