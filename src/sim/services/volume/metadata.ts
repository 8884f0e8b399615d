import { badRequest, notFound } from '../../http/errors.js';
import { json, text, type SimReply } from '../../http/reply.js';
import type { SnapshotRecord, VolumeRecord } from '../../store/types/volume.js';
import type { CinderCall, CinderRoute } from './call.js';
import { touch } from './lifecycle.js';
import { snapshotOf, volumeOf } from './lookup.js';

type Owner = VolumeRecord | SnapshotRecord;

function metadataBody(raw: unknown, key: 'metadata' | 'meta'): Record<string, string> {
  const inner = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[key] : undefined;
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) throw badRequest('Malformed request body');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(inner as Record<string, unknown>)) {
    if (k === '' || k.length > 255) throw badRequest('Invalid input received: Metadata property key blank or greater than 255 characters');
    out[k] = String(v);
  }
  return out;
}

/**
 * Metadata of volumes or snapshots: list, merge (POST), replace all (PUT), one item
 * (`{"meta": {k: v}}`), delete one (200, Zed). A missing key is a 404.
 */
function routesFor(collection: 'volumes' | 'snapshots', find: (c: CinderCall, id: string | undefined) => Owner): CinderRoute[] {
  const base = `/${collection}/{id}/metadata`;
  const item = (o: Owner, k: string) => {
    if (!(k in o.metadata)) throw notFound('Metadata item was not found');
    return o.metadata[k]!;
  };
  return [
    { method: 'GET', path: base, handler: (c) => json(200, { metadata: { ...find(c, c.req.params['id']).metadata } }) },
    {
      method: 'POST',
      path: base,
      handler: async (c: CinderCall): Promise<SimReply> => {
        const o = find(c, c.req.params['id']);
        Object.assign(o.metadata, metadataBody(await c.req.json(), 'metadata'));
        touch(c.store, o);
        return json(200, { metadata: { ...o.metadata } });
      },
    },
    {
      method: 'PUT',
      path: base,
      handler: async (c: CinderCall): Promise<SimReply> => {
        const o = find(c, c.req.params['id']);
        o.metadata = metadataBody(await c.req.json(), 'metadata');
        touch(c.store, o);
        return json(200, { metadata: { ...o.metadata } });
      },
    },
    { method: 'GET', path: `${base}/{key}`, handler: (c) => { const k = c.req.params['key']!; return json(200, { meta: { [k]: item(find(c, c.req.params['id']), k) } }); } },
    {
      method: 'PUT',
      path: `${base}/{key}`,
      handler: async (c: CinderCall): Promise<SimReply> => {
        const o = find(c, c.req.params['id']);
        const k = c.req.params['key']!;
        const meta = metadataBody(await c.req.json(), 'meta');
        if (!(k in meta)) throw badRequest('Request body and URI mismatch');
        if (Object.keys(meta).length > 1) throw badRequest('Request body contains too many items');
        o.metadata[k] = meta[k]!;
        touch(c.store, o);
        return json(200, { meta: { [k]: o.metadata[k] } });
      },
    },
    {
      method: 'DELETE',
      path: `${base}/{key}`,
      handler: (c: CinderCall): SimReply => {
        const o = find(c, c.req.params['id']);
        const k = c.req.params['key']!;
        item(o, k);
        delete o.metadata[k];
        touch(c.store, o);
        return text(200, '', 'text/html; charset=UTF-8');
      },
    },
  ];
}

export function metadataRoutes(): CinderRoute[] {
  return [...routesFor('volumes', volumeOf), ...routesFor('snapshots', snapshotOf)];
}
