import type { Volume } from '../inventory/index.js';
import type { Impact } from '../plan/index.js';
import type { PlanContext, TenantScope } from './context.js';
import { decide } from './decide.js';
import { NO_IMPACT, refTo } from './draft.js';
import { sourceMatch } from './facts.js';
import { freeForm } from './free-form.js';
import { GIB, QUIESCE_S, transferSeconds } from './impact.js';
import { all } from './indexes.js';
import { childAt, uniqueNames } from './names.js';
import { standardSteps } from '../plan/index.js';

const COPYABLE = new Set(['available', 'in-use']);

/** Source statuses in which a server is running and must be quiesced for a consistent copy. */
export const RUNNING = new Set(['ACTIVE', 'PAUSED']);

/**
 * Volumes of the migrated tenants: detached ones, and those attached only to migrated
 * servers (a volume attached to a server that stays behind goes with that server later).
 * A volume attached to a running server is copied after quiescing that server (per
 * options.server_consistency), which is where the server's downtime starts.
 */
export function planVolumes(ctx: PlanContext): void {
  const complete = (id: string): boolean => COPYABLE.has(ctx.d.volumesById.get(id)?.status ?? '');
  for (const t of ctx.tenants) {
    const volumes = all(ctx.s.volumesByProject, t.project.id).filter((v) =>
      v.attachments.every((a) => ctx.migratedServers.has(a.serverId)),
    );
    const names = uniqueNames(volumes, (v) => v.name, (v) => v.id);
    for (const v of volumes) planVolume(ctx, t, v, childAt(t.address, 'volume', names.get(v.id)!), complete);
  }
}

function planVolume(ctx: PlanContext, t: TenantScope, v: Volume, address: string, complete: (destinationId: string) => boolean): void {
  if (!COPYABLE.has(v.status)) {
    ctx.draft.warn(`volume '${v.name || v.id}' is ${v.status}; only available or in-use volumes are migrated`, address);
    ctx.draft.skipped++;
    return;
  }
  const d = decide(ctx.memory.resolve('volume', v.id), { make: 'migrate', complete });
  const snapshots = d.action === 'migrate' ? all(ctx.s.snapshotsByVolume, v.id) : [];
  const warnings =
    snapshots.length > 0
      ? [`it has ${snapshots.length} snapshot${snapshots.length === 1 ? '' : 's'} (${snapshots.map((x) => x.name || x.id).join(', ')}), which are not migrated: those restore points stay in the source`]
      : undefined;
  if (v.encrypted && d.action === 'migrate') {
    ctx.draft.error(
      `volume '${v.name || v.id}' is encrypted; its key is in the source key manager, which is not migrated, so its copy would be refused or unreadable`,
      address,
      'decrypt it in the source (copy it to an unencrypted volume type), or leave its tenant out with --exclude',
    );
  }
  const mode = ctx.desired.options.serverConsistency;
  const attached = v.attachments[0];
  const server = attached ? ctx.s.serversById.get(attached.serverId) : undefined;
  const quiesce = server !== undefined && RUNNING.has(server.status) && mode !== 'live';
  const bytes = v.sizeGb * GIB;
  const impact: Impact =
    d.action === 'migrate'
      ? quiesce
        ? {
            downtime: true,
            destructive: false,
            irreversible: false,
            bytes,
            estimate_s: transferSeconds(bytes) + QUIESCE_S,
            downtime_s: transferSeconds(bytes) + QUIESCE_S,
          }
        : { downtime: false, destructive: false, irreversible: false, bytes, estimate_s: transferSeconds(bytes) }
      : NO_IMPACT;
  const steps = standardSteps('volume', d.action);
  const dst = d.destinationId ? ctx.d.volumesById.get(d.destinationId) : undefined;
  ctx.draft.add(
    v.id,
    {
      address,
      kind: 'volume',
      action: d.action,
      reason: d.reason,
      deps: [t.handle],
      tenant: t.name,
      scopedTo: t.address,
      host: server?.host || undefined,
      source: { cloud: 'source', id: v.id, name: v.name },
      destination: d.destinationId ? { name: v.name, id: d.destinationId } : { name: v.name },
      before: dst ? { name: dst.name, size: dst.sizeGb, status: dst.status } : null,
      after: {
        name: v.name,
        description: v.description,
        project_id: refTo(t.handle),
        size: v.sizeGb,
        volume_type: destinationType(ctx, v, d.action === 'migrate' ? address : null),
        bootable: v.bootable,
        metadata: freeForm(v.metadata, 'cinder', 'volume_metadata', v.id),
        attached_to: v.attachments.map((a) => ({ server: a.serverId, device: a.device })),
        consistency: server ? mode : null,
      },
      preconditions:
        d.action === 'migrate'
          ? [
              sourceMatch('cinder', 'volumes', v.id, {
                status: v.status,
                sizeGb: v.sizeGb,
                attachedTo: attachedTo(v),
              }),
            ]
          : [],
      impact,
      steps: quiesce && d.action === 'migrate' ? quiescedSteps(steps) : steps,
      warnings,
    },
    d.destinationId,
  );
}

/** The ids of the servers the volume is attached to, sorted, comma-separated. */
function attachedTo(v: Volume): string {
  const a = v.attachments;
  if (a.length === 0) return '';
  if (a.length === 1) return a[0]!.serverId;
  return a.map((x) => x.serverId).sort().join(',');
}

// `quiesce_server` then the standard steps: one list per standard list, not one per volume.
const QUIESCED = new WeakMap<readonly string[], readonly string[]>();

function quiescedSteps(steps: readonly string[]): readonly string[] {
  let out = QUIESCED.get(steps);
  if (!out) {
    out = ['quiesce_server', ...steps];
    QUIESCED.set(steps, out);
  }
  return out;
}

/**
 * The source's volume type where the destination has one of that name; else none, so Cinder
 * picks the destination's default (a Juno `default` type does not exist in a new cloud, and
 * asking for it is a 404 at apply time). Unknown destination types (old fixtures): kept.
 * Only a volume still to copy warns (`warnAt`): a copied one is no news.
 */
function destinationType(ctx: PlanContext, v: Volume, warnAt: string | null): string | null {
  const types = ctx.dst.volumeTypes;
  if (!v.volumeType || !types || types.includes(v.volumeType)) return v.volumeType;
  if (warnAt) ctx.draft.warn(`volume type '${v.volumeType}' does not exist in the destination; the copy gets the destination's default type`, warnAt);
  return null;
}
