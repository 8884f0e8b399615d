import { badRequest, conflict, forbidden } from '../../http/errors.js';
import type { Profile } from '../../profile.js';

/** Attributes Glance computes: setting one is a 403 "is read-only". */
export const READ_ONLY = new Set(['created_at', 'updated_at', 'status', 'checksum', 'size', 'virtual_size', 'direct_url', 'self', 'file', 'schema', 'id', 'os_hash_algo', 'os_hash_value']);

/** Attributes no caller may set: 403 "is reserved". `owner` too on Havana–Juno (legacy-apis.md §3.2). */
export function reserved(p: Profile): Set<string> {
  const out = new Set(['deleted', 'deleted_at', 'is_public', 'location', 'locations']);
  if (!p.glanceV2OwnerAllowed) out.add('owner');
  return out;
}

export const DISK_FORMATS_LEGACY = ['ami', 'ari', 'aki', 'vhd', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso'];
export const CONTAINER_FORMATS_LEGACY = ['ami', 'ari', 'aki', 'bare', 'ovf', 'ova'];
const DISK_FORMATS_MODERN = [...DISK_FORMATS_LEGACY, 'vhdx', 'ploop'];
const CONTAINER_FORMATS_MODERN = [...CONTAINER_FORMATS_LEGACY, 'docker', 'compressed'];

export const schemaError = (detail: string) => badRequest(`Provided object does not match schema 'image': ${detail}`);

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function visibilities(p: Profile): string[] {
  return p.glanceSharedVisibility ? ['public', 'private', 'shared', 'community'] : ['public', 'private'];
}

/**
 * Checks one attribute of a v2 image as the image schema does (type, enum, range) and
 * answers the value to store. Custom properties must be strings.
 */
export function checkAttribute(p: Profile, key: string, value: unknown): unknown {
  const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
  const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));
  switch (key) {
    case 'name':
      if (value !== null && typeof value !== 'string') throw schemaError(`${show(value)} is not of type 'null', 'string'`);
      if (typeof value === 'string' && value.length > 255) throw schemaError(`${show(value)} is too long`);
      return value;
    case 'visibility':
      if (typeof value !== 'string' || !visibilities(p).includes(value)) throw schemaError(`${show(value)} is not one of ${JSON.stringify(visibilities(p))}`);
      return value;
    case 'disk_format':
    case 'container_format': {
      const allowed = key === 'disk_format' ? (p.glanceSharedVisibility ? DISK_FORMATS_MODERN : DISK_FORMATS_LEGACY) : p.glanceSharedVisibility ? CONTAINER_FORMATS_MODERN : CONTAINER_FORMATS_LEGACY;
      if (value !== null && (typeof value !== 'string' || !allowed.includes(value))) throw schemaError(`${show(value)} is not one of ${JSON.stringify([...allowed, null])}`);
      return value;
    }
    case 'min_ram':
    case 'min_disk':
      if (!isInt(value)) throw schemaError(`${show(value)} is not of type 'integer'`);
      if ((value as number) < 0) throw schemaError(`${show(value)} is less than the minimum of 0`);
      return value;
    case 'protected':
    case 'os_hidden':
      if (typeof value !== 'boolean') throw schemaError(`${show(value)} is not of type 'boolean'`);
      return value;
    case 'tags':
      if (!Array.isArray(value) || value.some((t) => typeof t !== 'string' || t.length > 255)) throw schemaError(`${show(value)} is not a list of strings`);
      return [...new Set(value as string[])];
    case 'owner':
      if (value !== null && typeof value !== 'string') throw schemaError(`${show(value)} is not of type 'null', 'string'`);
      return value;
    default:
      if (typeof value !== 'string') throw schemaError(`${show(value)} is not of type 'string'`);
      return value;
  }
}

/** A caller-chosen image id: a uuid not in use. */
export function checkNewId(id: unknown, exists: (id: string) => boolean): string {
  if (typeof id !== 'string' || !UUID.test(id)) throw schemaError(`${JSON.stringify(id)} does not match uuid format`);
  if (exists(id)) throw conflict(`Image with identifier ${id} already exists!`);
  return id;
}

/** Modern policy: only an admin makes an image public (`publicize_image`). */
export function checkPublicize(p: Profile, isAdmin: boolean, visibility: unknown): void {
  if (visibility === 'public' && !isAdmin && p.glanceSharedVisibility) throw forbidden('You are not authorized to complete publicize_image action.');
}
