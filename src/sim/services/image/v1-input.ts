import type { IncomingHttpHeaders } from 'node:http';
import { badRequest } from '../../http/errors.js';

/** Metadata headers v1 understands (`x-image-meta-<field>`, dashes or underscores). */
const FIELDS = new Set([
  'id', 'name', 'status', 'disk_format', 'container_format', 'size', 'virtual_size', 'checksum', 'is_public', 'protected', 'min_ram', 'min_disk',
  'owner', 'location', 'created_at', 'updated_at', 'deleted', 'deleted_at',
]);

/** What the headers of a v1 POST/PUT say. */
export interface V1Meta {
  readonly fields: Readonly<Record<string, string>>;
  readonly properties: Readonly<Record<string, string>>;
}

/**
 * `get_image_meta_from_headers`: header names lower-cased, the part after
 * `x-image-meta-`/`x-image-meta-property-` with dashes turned into underscores; an unknown
 * `x-image-meta-*` header is a 400 "Bad header".
 */
export function metaFromHeaders(headers: IncomingHttpHeaders): V1Meta {
  const fields: Record<string, string> = {};
  const properties: Record<string, string> = {};
  for (const [rawKey, rawValue] of Object.entries(headers)) {
    const key = rawKey.toLowerCase();
    const value = Array.isArray(rawValue) ? rawValue.join(', ') : (rawValue ?? '');
    if (key.startsWith('x-image-meta-property-')) properties[key.slice('x-image-meta-property-'.length).replace(/-/g, '_')] = value;
    else if (key.startsWith('x-image-meta-')) {
      const name = key.slice('x-image-meta-'.length).replace(/-/g, '_');
      if (!FIELDS.has(name)) throw badRequest(`Bad header: x-image-meta-${name}`);
      fields[name] = value;
    }
  }
  return { fields, properties };
}

/** A non-negative integer field (`size`, `min_ram`, `min_disk`); 400 otherwise. */
export function intField(fields: Readonly<Record<string, string>>, name: string): number | undefined {
  const raw = fields[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n)) throw badRequest(`Invalid value for ${name}: ${raw}`);
  if (n < 0) throw badRequest(`Cannot be a negative value: ${name}`);
  return n;
}

/** `strutils.bool_from_string`: true, 1, yes, on, y, t (any case); everything else false. */
export function boolField(fields: Readonly<Record<string, string>>, name: string): boolean | undefined {
  const raw = fields[name];
  if (raw === undefined) return undefined;
  return ['true', '1', 'yes', 'on', 'y', 't'].includes(raw.trim().toLowerCase());
}

export function checkFormat(name: 'disk_format' | 'container_format', value: string | undefined, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value)) {
    throw badRequest(`Invalid ${name.replace('_', ' ')} '${value}' for image.`);
  }
}

/** A request carries image data when it has a body (Content-Length > 0 or chunked). */
export function hasBody(headers: IncomingHttpHeaders): boolean {
  const len = headers['content-length'];
  if (len !== undefined) return Number(len) > 0;
  return (headers['transfer-encoding'] ?? '').toLowerCase().includes('chunked');
}
