import { isVolumeSnapshotImage, type Image } from '../inventory/index.js';
import type { Attributes } from '../plan/index.js';
import type { PlanContext, TenantScope } from './context.js';
import { refMatches, refText } from './desired.js';
import { decide } from './decide.js';
import { NO_IMPACT, refTo, type Handle } from './draft.js';
import { sourceMatch } from './facts.js';
import { freeForm } from './free-form.js';
import { copyImpact } from './impact.js';
import { all } from './indexes.js';
import { addr, child, seg, uniqueNames } from './names.js';

// Properties that describe the source copy only; the destination image gets its own.
const DROPPED = new Set(['kernel_id', 'ramdisk_id', 'image_location', 'owner_id', 'instance_uuid', 'base_image_ref']);

/**
 * Images: public ones per the manifest's images.public (all, none, or a list), and every
 * private/shared image a migrated tenant owns (server snapshots included). Only `active`
 * images go; snapshots of boot-from-volume servers are skipped (their data is in volume
 * snapshots; the servers' volumes are migrated instead). Kernel and ramdisk images go first.
 */
export function planImages(ctx: PlanContext): void {
  const publics = publicImages(ctx);
  const publicNames = uniqueNames(publics, (i) => i.name, (i) => i.id);
  const wanted = new Map<string, { image: Image; address: string; tenant: TenantScope | null }>();
  for (const i of publics) wanted.set(i.id, { image: i, address: addr(seg('image', publicNames.get(i.id)!)), tenant: null });
  for (const t of ctx.tenants) {
    const own = all(ctx.s.imagesByOwner, t.project.id).filter((i) => !isPublic(i) && !wanted.has(i.id));
    const names = uniqueNames(own, (i) => i.name, (i) => i.id);
    for (const i of own) wanted.set(i.id, { image: i, address: child(t.address, seg('image', names.get(i.id)!)), tenant: t });
  }
  const planning = new Set<string>();
  const ensure = (id: string): Handle | undefined => {
    const done = ctx.draft.get('image', id);
    if (done) return done;
    const w = wanted.get(id);
    if (!w || planning.has(id)) return undefined;
    planning.add(id);
    return planImage(ctx, w.image, w.address, w.tenant, ensure);
  };
  for (const id of wanted.keys()) ensure(id);
}

function isPublic(i: Image): boolean {
  return i.visibility === 'public' || i.visibility === 'community';
}

function publicImages(ctx: PlanContext): readonly Image[] {
  const scope = ctx.desired.images.public;
  const publics = ctx.src.images.filter(isPublic);
  if (scope === 'none') return [];
  if (scope === 'all') return publics;
  const out: Image[] = [];
  for (const ref of scope) {
    const hits = publics.filter((i) => refMatches(ref, i.id, i.name));
    if (hits.length === 0) ctx.draft.error(`manifest images.public: image ${refText(ref)} is not a public source image`);
    for (const h of hits) if (!out.includes(h)) out.push(h);
  }
  return out;
}

function planImage(
  ctx: PlanContext,
  image: Image,
  address: string,
  t: TenantScope | null,
  ensure: (id: string) => Handle | undefined,
): Handle | undefined {
  if (isVolumeSnapshotImage(image)) {
    ctx.draft.warn(
      `image '${image.name}' is a boot-from-volume snapshot that only points at volume snapshots; it is not migrated`,
      address,
    );
    return undefined;
  }
  if (image.status !== 'active') {
    ctx.draft.warn(`image '${image.name}' is ${image.status}, not active; it is not migrated`, address);
    ctx.draft.skipped++;
    return undefined;
  }
  const kernel = image.properties['kernel_id'] ? ensure(image.properties['kernel_id']) : undefined;
  const ramdisk = image.properties['ramdisk_id'] ? ensure(image.properties['ramdisk_id']) : undefined;
  const owner = t?.handle?.destinationId ?? null;
  const twin = all(ctx.d.imagesByName, image.name).find(
    (x) =>
      x.checksum !== null &&
      x.checksum === image.checksum &&
      x.status === 'active' &&
      (t ? x.owner === owner : isPublic(x)),
  );
  const natural = twin ? { id: twin.id, why: `the destination has '${twin.name}' with the same checksum` } : null;
  const d = decide(ctx.memory.resolve('image', image.id), {
    make: 'migrate',
    natural,
    complete: (id) => ctx.d.imagesById.get(id)?.status === 'active',
  });
  const bytes = image.sizeBytes ?? 0;
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(image.properties)) if (!DROPPED.has(k)) properties[k] = v;
  return ctx.draft.add(
    image.id,
    {
      address,
      kind: 'image',
      action: d.action,
      reason: d.reason,
      deps: [t?.handle, kernel, ramdisk],
      ...(t ? { tenant: t.name, scopedTo: t.address } : {}),
      source: { cloud: 'source', id: image.id, name: image.name },
      destination: { name: image.name, ...(d.destinationId ? { id: d.destinationId } : {}) },
      before: twin ? { name: twin.name, checksum: twin.checksum, status: twin.status } : null,
      after: imageAttrs(image, t ? refTo(t.handle) : null, freeForm(properties, 'glance', 'image_properties', image.id), kernel, ramdisk),
      preconditions:
        d.action === 'migrate'
          ? [sourceMatch('glance', 'images', image.id, { status: image.status, checksum: image.checksum })]
          : [],
      impact: d.action === 'migrate' ? copyImpact(bytes) : NO_IMPACT,
      ...(d.action === 'migrate' && image.tags && ctx.dst.capabilities.imageApi === 'v1'
        ? { warnings: [`its tags (${image.tags.join(', ')}) are not copied: the destination Glance speaks v1, which has no tags`] }
        : {}),
    },
    d.destinationId,
  );
}

function imageAttrs(
  i: Image,
  owner: Attributes[string],
  properties: Attributes,
  kernel: Handle | undefined,
  ramdisk: Handle | undefined,
): Attributes {
  return {
    name: i.name,
    visibility: i.visibility,
    owner,
    disk_format: i.diskFormat,
    container_format: i.containerFormat,
    min_disk: i.minDiskGb,
    min_ram: i.minRamMb,
    protected: i.protected,
    checksum: i.checksum,
    size: i.sizeBytes,
    properties,
    // Only when it has some, so that images without keep their text.
    ...(i.tags ? { tags: [...i.tags] } : {}),
    kernel_id: kernel ? refTo(kernel) : null,
    ramdisk_id: ramdisk ? refTo(ramdisk) : null,
  };
}
