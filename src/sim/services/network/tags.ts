import { notFound } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import { invalidInput, type NeutronCall, type NeutronRoute } from './call.js';
import { floatingIpOf, groupOf, networkOf, portOf, requireOwner, routerOf, subnetOf } from './lookup.js';
import { attrsOf, touch, type TaggableKind } from './standard-attrs.js';

const MAX_TAG = 60;

/** The tagged object (404 in its own words when missing) as `{id, projectId, createdAt}`. */
const FINDERS: Readonly<Record<TaggableKind, (c: NeutronCall, id: string) => { readonly id: string; readonly projectId: string; readonly createdAt: string }>> = {
  networks: networkOf,
  subnets: subnetOf,
  ports: portOf,
  routers: routerOf,
  floatingips: floatingIpOf,
  'security-groups': groupOf,
};

function checkTag(tag: unknown): string {
  if (typeof tag !== 'string' || tag === '') throw invalidInput(`'${String(tag)}' is not a valid string`);
  if (tag.length > MAX_TAG) throw invalidInput(`'${tag}' exceeds maximum length of ${MAX_TAG}`);
  if (tag.includes(',') || tag.includes('/')) throw invalidInput(`'${tag}' is not a valid tag`);
  return tag;
}

/** Tag routes of one collection (standard-attr-tag, modern profiles only). */
function routesFor(kind: TaggableKind): NeutronRoute[] {
  const find = FINDERS[kind];
  const target = (c: NeutronCall) => find(c, c.req.params['id'] ?? '');
  const current = (c: NeutronCall) => {
    const o = target(c);
    return { o, tags: attrsOf(c.store, kind, o.id, o.createdAt).tags };
  };
  const change = (c: NeutronCall, edit: (tags: string[]) => void) => {
    const o = target(c);
    requireOwner(c, o, `update_${kind}_tags`);
    const a = touch(c.store, kind, o.id, o.createdAt);
    edit(a.tags);
    return a.tags;
  };
  const base = `/${kind}/{id}/tags`;
  return [
    { method: 'GET', path: base, handler: (c): SimReply => json(200, { tags: [...current(c).tags] }) },
    {
      method: 'PUT',
      path: base,
      handler: async (c): Promise<SimReply> => {
        const raw = (await c.req.json<Record<string, unknown>>(true))['tags'];
        if (!Array.isArray(raw)) throw invalidInput(`'${String(raw)}' is not a list`);
        const tags = raw.map(checkTag);
        const dup = tags.find((t, i) => tags.indexOf(t) !== i);
        if (dup !== undefined) throw invalidInput(`Duplicate items in the list: '${dup}'`);
        const now = change(c, (t) => t.splice(0, t.length, ...tags));
        return json(200, { tags: [...now] });
      },
    },
    { method: 'DELETE', path: base, handler: (c): SimReply => (change(c, (t) => t.splice(0, t.length)), empty(204)) },
    {
      method: 'GET',
      path: `${base}/{tag}`,
      handler: (c): SimReply => {
        const tag = c.req.params['tag'] ?? '';
        if (!current(c).tags.includes(tag)) throw notFound(`Tag ${tag} could not be found.`, 'TagNotFound');
        return empty(204);
      },
    },
    {
      method: 'PUT',
      path: `${base}/{tag}`,
      handler: (c): SimReply => {
        const tag = checkTag(c.req.params['tag']);
        change(c, (t) => {
          if (!t.includes(tag)) t.push(tag);
        });
        return empty(201);
      },
    },
    {
      method: 'DELETE',
      path: `${base}/{tag}`,
      handler: (c): SimReply => {
        const tag = c.req.params['tag'] ?? '';
        if (!current(c).tags.includes(tag)) throw notFound(`Tag ${tag} could not be found.`, 'TagNotFound');
        change(c, (t) => t.splice(t.indexOf(tag), 1));
        return empty(204);
      },
    },
  ];
}

export function tagRoutes(): NeutronRoute[] {
  return (Object.keys(FINDERS) as TaggableKind[]).flatMap(routesFor);
}
