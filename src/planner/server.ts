import type { Server } from '../inventory/index.js';
import type { AttributeValue, Impact, Reason } from '../plan/index.js';
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
import { child, seg, uniqueNames } from './names.js';
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
      } else {
        ctx.draft.warn(`server '${sv.name}' is ${sv.status}; it is migrated once it is ACTIVE, SHUTOFF, SUSPENDED or PAUSED`, t.address);
        ctx.draft.skipped++;
      }
    }
  }
}

/** Servers of the migrated tenants, then what happens to each source copy. */
export function planServers(ctx: PlanContext): void {
  for (const t of ctx.tenants) {
    const servers = t.servers.filter((sv) => ctx.migratedServers.has(sv.id));
    const names = uniqueNames(t.servers, (sv) => sv.name, (sv) => sv.id);
    for (const sv of servers) {
      const address = child(t.address, seg('server', names.get(sv.id)!));
      const h = planServer(ctx, t, sv, address);
      planSourceAfter(ctx, t, sv, address, h);
    }
  }
}

function planServer(ctx: PlanContext, t: TenantScope, sv: Server, address: string): Handle {
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
  const access = flavor ? t.handle && ctx.draft.get('flavor_access', `${flavor.id}/${t.project.id}`) : undefined;
  const image = sv.imageId ? ctx.draft.get('image', sv.imageId) : undefined;
  let keypair: Handle | undefined;
  if (sv.keyName !== null) {
    keypair = ctx.draft.get('keypair', `${sv.userId}/${sv.keyName}`) ?? ownerKeypairsFor(ctx, sv);
    if (!keypair) warnings.push(missingKeypairWarning(ctx, sv));
  }
  const groups = groupHandles(ctx, sv);
  const ports = all(ctx.net.portsByServer, sv.id)
    .map((p) => ctx.draft.get('port', p.id))
    .filter((h): h is Handle => h !== undefined);
  const fips: Handle[] = [];
  for (const p of all(ctx.net.portsByServer, sv.id)) {
    for (const f of all(ctx.net.floatingIpsByPort, p.id)) {
      const h = ctx.draft.get('floating_ip', f.id);
      if (h) fips.push(h);
    }
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
  const d = decide(ctx.memory.resolve('server', sv.id), {
    make: 'migrate',
    complete: (id) => ['ACTIVE', 'SHUTOFF'].includes(ctx.d.serversById.get(id)?.status ?? ''),
  });
  const mode = ctx.desired.options.serverConsistency;
  const quiesce = RUNNING.has(sv.status) && mode !== 'live';
  // Its volumes are copied first, and their quiesce_server step leaves it stopped or
  // suspended: by the time this action's preconditions are read, the status has moved.
  const quiescedByVolumes = quiesce && volumes.length > 0;
  const diskBytes = fromVolume ? 0 : Math.max((flavor?.diskGb ?? 0) * GIB, imageBytes(ctx, sv));
  const steps = standardSteps('server', d.action).filter(
    (s) =>
      (s !== 'quiesce' || quiesce) &&
      ((s !== 'snapshot' && s !== 'transfer') || !fromVolume) &&
      (s !== 'attach_volumes' || volumes.some((v) => v !== root)) &&
      (s !== 'floating_ip' || fips.length > 0),
  );
  return ctx.draft.add(
    sv.id,
    {
      address,
      kind: 'server',
      action: d.action,
      reason: d.reason,
      deps: [t.handle, fh, access, image, keypair, ...groups, ...ports, ...volumes.map((v) => v.h), ...fips],
      tenant: t.name,
      scopedTo: t.address,
      ...(sv.host ? { host: sv.host } : {}),
      source: { cloud: 'source', id: sv.id, name: sv.name },
      destination: { name: sv.name, ...(d.destinationId ? { id: d.destinationId } : {}) },
      before: d.destinationId ? { status: ctx.d.serversById.get(d.destinationId)?.status ?? null } : null,
      after: {
        name: sv.name,
        project_id: refTo(t.handle),
        flavor_id: fh ? refTo(fh) : null,
        image_id: image ? refTo(image) : null,
        boot_from: fromVolume ? 'volume' : 'snapshot',
        root_volume_id: root ? refTo(root.h) : null,
        key_name: keypair ? sv.keyName : null,
        keypair_user_id: keypair ? refTo(ctx.users.get(sv.userId)?.handle) : null,
        security_groups: groups.map((g) => refTo(g)),
        ports: ports.map((p) => refTo(p)),
        volumes: volumes.filter((v) => v !== root).map((v): AttributeValue => ({ volume_id: refTo(v.h), device: v.device })),
        floating_ips: fips.map((f) => refTo(f)),
        metadata: freeForm(sv.metadata, 'nova', 'server_metadata', sv.id),
        consistency: mode,
        status: sv.status === 'SHUTOFF' ? 'SHUTOFF' : 'ACTIVE',
        // What a failure restores, when the precondition cannot pin the status.
        ...(quiescedByVolumes ? { source_status: sv.status } : {}),
      },
      preconditions:
        d.action === 'migrate'
          ? [
              sourceMatch('nova', 'servers', sv.id, {
                ...(quiescedByVolumes ? {} : { status: sv.status }),
                host: sv.host,
                flavorId: sv.flavorId,
              }),
            ]
          : [],
      impact: d.action === 'migrate' ? serverImpact(sv, diskBytes, quiesce) : NO_IMPACT,
      steps,
      warnings,
    },
    d.destinationId,
  );
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
  return {
    downtime: running,
    destructive: false,
    irreversible: false,
    bytes,
    estimate_s: estimate,
    ...(running ? { downtime_s: quiesce ? estimate : BOOT_S } : {}),
  };
}

// One shared reason object per case: every migrated server has a source_after action.
const KEEP_REASON: Reason = { code: 'source_after_manifest', text: 'the manifest keeps the source copy' };
const STOPPED_REASON: Reason = { code: 'source_after_manifest', text: 'the source copy is already stopped' };
const STOP_REASON: Reason = { code: 'source_after_manifest', text: 'the manifest says stop the source copy once the destination copy runs' };
const DELETE_REASON: Reason = { code: 'source_after_manifest', text: 'the manifest says delete the source copy once the destination copy runs' };

/** keep -> no-op; stop -> stop the source copy; delete -> delete it (irreversible). */
function planSourceAfter(ctx: PlanContext, t: TenantScope, sv: Server, serverAddress: string, server: Handle): void {
  const mode = t.desired.sourceAfter;
  const fips: Handle[] = [];
  for (const p of all(ctx.net.portsByServer, sv.id)) {
    for (const f of all(ctx.net.floatingIpsByPort, p.id)) {
      const h = ctx.draft.get('floating_ip', f.id);
      if (h) fips.push(h);
    }
  }
  const done = mode === 'keep' || (mode === 'stop' && sv.status === 'SHUTOFF');
  const action = done ? 'no-op' : mode;
  ctx.draft.add(sv.id, {
    address: child(serverAddress, seg('source_after')),
    kind: 'source_after',
    action,
    reason: mode === 'keep' ? KEEP_REASON : done ? STOPPED_REASON : mode === 'stop' ? STOP_REASON : DELETE_REASON,
    deps: [server, ...fips],
    tenant: t.name,
    ...(sv.host ? { host: sv.host } : {}),
    source: { cloud: 'source', id: sv.id, name: sv.name },
    after: { server_id: sv.id, mode },
    preconditions: done ? [] : [sourceMatch('nova', 'servers', sv.id, { host: sv.host })],
    impact:
      action === 'delete'
        ? { downtime: false, destructive: true, irreversible: true }
        : NO_IMPACT,
  });
}
