import { emit } from '../../events/index.js';
import { toPumphouseError } from '../../errors/index.js';
import { isNotFound, type Cloud } from '../../openstack/index.js';
import type { Temporary } from '../../state/index.js';
import type { DataStep } from '../image/data-step.js';
import { deleteImage, imagesNamed } from '../image/glance.js';
import { cinder, deleteVolume } from './cinder.js';

/** The temporaries these kinds make, by their key within the action. */
export type TemporaryKey =
  /** Source: Nova's snapshot of the server (createImage). */
  | 'source-snapshot'
  /** Source: a clone of an in-use volume, uploaded instead of the volume itself. */
  | 'source-clone'
  /** Source: Cinder's upload of the volume (or its clone) into Glance. */
  | 'source-image'
  /** Destination: the copied snapshot or volume image a server boots from / a volume is made from. */
  | 'destination-image'
  /** Destination: the owner's public key lent to the admin user for the boot. */
  | 'boot-keypair';

export interface TemporaryRecord {
  readonly key: TemporaryKey;
  readonly kind: 'image' | 'volume' | 'keypair';
  readonly cloud: 'source' | 'destination';
  readonly resourceId: string | null;
  readonly projectId?: string | null;
  /** `name` (images, volumes: how a run after a crash finds an object whose id was never recorded); `user_id` for keypairs. */
  readonly details: Readonly<Record<string, string>>;
}

/** Journals a temporary (before it is made with a null id, then again with its id). */
export async function recordTemporary(s: DataStep, t: TemporaryRecord): Promise<void> {
  await s.ctx.temporaries.record({
    key: t.key,
    kind: t.kind,
    cloud: t.cloud,
    resourceId: t.resourceId,
    ...(t.projectId !== undefined ? { projectId: t.projectId } : {}),
    details: t.details,
  });
}

/** The recorded temporary `key` of this action, if any (its id may still be null). */
export function recordedTemporary(s: DataStep, key: TemporaryKey): Temporary | undefined {
  return s.ctx.temporaries.list().find((t) => t.id.endsWith(`/${key}`));
}

/** Deletes one temporary and records that it is gone. */
export async function cleanTemporary(s: DataStep, t: Temporary): Promise<void> {
  const side = t.cloud === 'source' ? 'source' : 'destination';
  const cloud = side === 'source' ? await s.ctx.clouds.source() : await s.ctx.clouds.destination();
  const name = typeof t.details['name'] === 'string' ? t.details['name'] : null;
  switch (t.kind) {
    // By id, and by name too: a crash between the create and the record of its id leaves an
    // object only its (pumphouse-made, per-source-object) name finds.
    case 'image':
      for (const id of union(t.resource_id, await idsOfImagesNamed(cloud, sweepable(name)))) await deleteImage(cloud, id);
      break;
    case 'volume': {
      const volumes = cinder(s, cloud, side);
      const swept = sweepable(name);
      const named = swept ? (await volumes.volumes.list({ allTenants: true, name: swept })).filter((v) => v.name === swept).map((v) => v.id) : [];
      for (const id of union(t.resource_id, named)) await deleteVolume(s, volumes, id);
      break;
    }
    case 'keypair': {
      const user = typeof t.details['user_id'] === 'string' ? t.details['user_id'] : undefined;
      if (name) await cloud.compute.keypairs.delete(name, user ? { userId: user } : {}).catch(ignoreNotFound);
      break;
    }
    default:
      return; // Not one of ours: left for whoever recorded it.
  }
  await s.ctx.temporaries.cleaned(t.id.slice(t.id.lastIndexOf('/') + 1));
}

/**
 * Deletes every temporary this action still has recorded (those of earlier, failed or
 * crashed attempts too). A temporary that cannot be deleted (Glance says in use, cloud down)
 * stays recorded and a warning names it; the step still succeeds, because the migrated
 * object is complete and a later cleanup can remove it. Answers the keys left behind.
 */
export async function cleanTemporaries(s: DataStep, which: (t: Temporary) => boolean = () => true): Promise<string[]> {
  const left: string[] = [];
  for (const t of s.ctx.temporaries.list().filter(which)) {
    try {
      await cleanTemporary(s, t);
    } catch (err) {
      const e = toPumphouseError(err);
      left.push(t.id);
      emit(s.ctx.reporter, 'log', 'warn', `${s.address}: temporary ${t.kind} ${t.resource_id ?? t.details['name'] ?? ''} in the ${t.cloud} could not be deleted: [${e.code}] ${e.message}; it stays recorded for cleanup`, {
        text: `temporary ${t.id} left behind`,
      });
    }
  }
  return left;
}

/** Only names pumphouse generates are swept (`pumphouse-snapshot-<id>`, ...). */
function sweepable(name: string | null): string | null {
  return name && name.startsWith('pumphouse-') ? name : null;
}

function union(id: string | null, more: readonly string[]): string[] {
  return [...new Set([...(id ? [id] : []), ...more])];
}

async function idsOfImagesNamed(cloud: Cloud, name: string | null): Promise<string[]> {
  return name ? (await imagesNamed(cloud, name)).map((i) => i.id) : [];
}

function ignoreNotFound(err: unknown): void {
  if (!isNotFound(err)) throw err;
}
