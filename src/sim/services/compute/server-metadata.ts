import { badRequest, forbidden, notFound } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import type { ServerRecord } from '../../store/types/compute.js';
import type { NovaCall, NovaRoute } from './context.js';
import { serverOf } from './lookup.js';
import { limitsOf } from './quota-usage.js';

function itemsOf(raw: unknown, key: string): Record<string, string> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badRequest(`Malformed request body: ${key} must be a dictionary`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (k === '' || k.length > 255) throw badRequest('Invalid metadata key');
    if (typeof v !== 'string') throw badRequest(`Invalid metadata value for key ${k}: must be a string`);
    if (v.length > 255) throw badRequest('Metadata item value exceeds 255 characters');
    out[k] = v;
  }
  return out;
}

function checkCount(c: NovaCall, s: ServerRecord, next: Record<string, string>): void {
  const limit = limitsOf(c.store, s.projectId)['metadata_items'] ?? 128;
  if (limit >= 0 && Object.keys(next).length > limit) throw forbidden('Quota exceeded for metadata_items: too many metadata items');
}

function touch(c: NovaCall, s: ServerRecord, next: Record<string, string>): void {
  checkCount(c, s, next);
  s.metadata = next;
  s.updatedAt = c.store.now();
}

async function merge(c: NovaCall): Promise<SimReply> {
  const s = serverOf(c, c.req.params['id']);
  const body = await c.req.json<Record<string, unknown>>();
  touch(c, s, { ...s.metadata, ...itemsOf(body['metadata'], 'metadata') });
  return json(200, { metadata: { ...s.metadata } });
}

async function replace(c: NovaCall): Promise<SimReply> {
  const s = serverOf(c, c.req.params['id']);
  const body = await c.req.json<Record<string, unknown>>();
  touch(c, s, itemsOf(body['metadata'], 'metadata'));
  return json(200, { metadata: { ...s.metadata } });
}

function showItem(c: NovaCall): SimReply {
  const s = serverOf(c, c.req.params['id']);
  const key = c.req.params['key']!;
  const v = s.metadata[key];
  if (v === undefined) throw notFound('Metadata item was not found');
  return json(200, { meta: { [key]: v } });
}

async function putItem(c: NovaCall): Promise<SimReply> {
  const s = serverOf(c, c.req.params['id']);
  const key = c.req.params['key']!;
  const body = await c.req.json<Record<string, unknown>>();
  const meta = itemsOf(body['meta'], 'meta');
  if (Object.keys(meta).length !== 1 || !(key in meta)) throw badRequest('Request body and URI mismatch');
  touch(c, s, { ...s.metadata, [key]: meta[key]! });
  return json(200, { meta: { [key]: meta[key] } });
}

function deleteItem(c: NovaCall): SimReply {
  const s = serverOf(c, c.req.params['id']);
  const key = c.req.params['key']!;
  if (!(key in s.metadata)) throw notFound('Metadata item was not found');
  const next = { ...s.metadata };
  delete next[key];
  touch(c, s, next);
  return empty(204);
}

/** Server metadata: GET, POST (merge), PUT (replace) and per-key GET/PUT/DELETE (204). */
export function serverMetadataRoutes(): NovaRoute[] {
  return [
    { method: 'GET', path: '/servers/{id}/metadata', auth: 'token', handler: (c) => json(200, { metadata: { ...serverOf(c, c.req.params['id']).metadata } }) },
    { method: 'POST', path: '/servers/{id}/metadata', auth: 'token', handler: merge },
    { method: 'PUT', path: '/servers/{id}/metadata', auth: 'token', handler: replace },
    { method: 'GET', path: '/servers/{id}/metadata/{key}', auth: 'token', handler: showItem },
    { method: 'PUT', path: '/servers/{id}/metadata/{key}', auth: 'token', handler: putItem },
    { method: 'DELETE', path: '/servers/{id}/metadata/{key}', auth: 'token', handler: deleteItem },
  ];
}
