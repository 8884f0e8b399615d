import { isCloudHttpError, type Cloud } from '../../openstack/index.js';
import { sendSettled } from '../common/settle.js';
import type { StepResult } from '../contract.js';
import type { DataStep } from '../image/data-step.js';
import { deleteImage, imageOrNull, imagesNamed, IMAGE_FILLING, TEMPORARY_PROPERTY, temporaryImageName, waitImageActive } from '../image/glance.js';
import { recordedTemporary, recordTemporary } from '../volume/temporaries.js';
import { waitSettled } from './source-power.js';

/**
 * `snapshot`: Nova's createImage of the source server into a temporary source image (named
 * after the server, tagged `pumphouse_temporary`), recorded before it is asked for; waits
 * until the image is active. A snapshot an earlier run asked for (recorded, or found by
 * name after a crash) is reused while it is active or still being written.
 */
export async function snapshotServer(s: DataStep): Promise<StepResult> {
  const src = await s.ctx.clouds.source();
  const name = temporaryImageName('snapshot', s.sourceId);
  let id = await reusableSnapshot(s, src, name);
  if (!id) {
    await recordTemporary(s, { key: 'source-snapshot', kind: 'image', cloud: 'source', resourceId: null, details: { name } });
    id = await askNova(s, src, name);
    await recordTemporary(s, { key: 'source-snapshot', kind: 'image', cloud: 'source', resourceId: id, details: { name } });
  }
  const facts = await waitImageActive(s, src, id, `the snapshot of source server ${s.sourceId}`, s.settings.snapshotTimeoutS);
  return { outputs: { snapshot_image_id: id, snapshot_md5: facts.md5 ?? null, snapshot_bytes: facts.size } };
}

async function reusableSnapshot(s: DataStep, src: Cloud, name: string): Promise<string | undefined> {
  const t = recordedTemporary(s, 'source-snapshot');
  if (!t) return undefined;
  const candidates = t.resource_id ? [await imageOrNull(src, t.resource_id)] : await imagesNamed(src, name);
  for (const image of candidates) {
    if (!image) continue;
    if (image.status === 'active' || IMAGE_FILLING.has(image.status)) {
      await recordTemporary(s, { key: 'source-snapshot', kind: 'image', cloud: 'source', resourceId: image.id, details: { name } });
      return image.id;
    }
    await deleteImage(src, image.id);
  }
  await s.ctx.temporaries.cleaned('source-snapshot');
  return undefined;
}

async function askNova(s: DataStep, src: Cloud, name: string): Promise<string> {
  const servers = src.compute.servers;
  // createImage is refused (409) while another task runs, e.g. a stop just sent.
  await waitSettled(s, servers, s.sourceId, s.settings.quiesceTimeoutS);
  // The image Nova registers carries our name: after a lost answer it is looked up (the
  // server first, its task, then Glance by name) at once and after a settle time, and the
  // snapshot asked for again only when none of those lookups found it (sendSettled).
  const made = async () => {
    await servers.get(s.sourceId);
    return (await imagesNamed(src, name))[0]?.id;
  };
  try {
    return (await sendSettled(() => servers.createImage(s.sourceId, name, { [TEMPORARY_PROPERTY]: '1' }), made, { what: `the snapshot of source server ${s.sourceId}` })).value;
  } catch (err) {
    // A snapshot already running from an attempt whose answer was lost (an earlier run).
    if (isCloudHttpError(err) && err.status === 409) {
      const id = await made();
      if (id) return id;
    }
    throw err;
  }
}
