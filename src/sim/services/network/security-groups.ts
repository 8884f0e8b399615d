import { conflict } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import type { SecurityGroupRecord } from '../../store/types/network.js';
import { ownerFor, readOnly, resourceBody, RW, tenantAttrs, text, type AttributeTable, type NeutronCall, type NeutronRoute } from './call.js';
import { addEgressRules, ensureDefaultGroup } from './default-group.js';
import { renderContext, render } from './fields.js';
import { listReply } from './listing.js';
import { groupOf, notFoundOf, ownerVisible, requireOwner } from './lookup.js';
import { checkQuota } from './quotas.js';
import { securityGroupFields } from './render.js';
import { attrsOf, forget, touch } from './standard-attrs.js';

function attributes(c: NeutronCall): AttributeTable {
  const p = c.profile;
  return {
    ...readOnly('id', 'security_group_rules'),
    name: RW,
    description: RW,
    ...tenantAttrs(p),
    ...(p.neutronModernApi ? { stateful: RW, ...readOnly('shared') } : {}),
  };
}

const reply = (c: NeutronCall, status: number, g: SecurityGroupRecord) => {
  const ctx = renderContext(c.store, c.profile, c.isAdmin);
  return json(status, { security_group: render(securityGroupFields(ctx), g, ctx) });
};

/**
 * Lists groups. Like Neutron's `get_security_groups`, it first makes the `default` group of
 * the project the list is about (the `tenant_id` / `project_id` filter, else the caller's).
 */
function listGroups(c: NeutronCall): SimReply {
  const q = c.req.query;
  ensureDefaultGroup(c.store, q.get('project_id') ?? q.get('tenant_id') ?? c.projectId);
  const ctx = renderContext(c.store, c.profile, c.isAdmin);
  return listReply(c, {
    collection: 'security_groups', urlPath: '/v2.0/security-groups', rows: c.store.securityGroups.values(), visible: (g) => ownerVisible(c, g),
    fields: securityGroupFields(ctx), ctx, notFound: notFoundOf.securityGroup, exists: (id) => c.store.securityGroups.has(id),
    tagsOf: (g) => attrsOf(c.store, 'security-groups', g.id, g.createdAt).tags,
  });
}

const defaultExists = () => conflict('Default security group already exists.', 'SecurityGroupDefaultAlreadyExists');

async function create(c: NeutronCall): Promise<SimReply> {
  const b = await resourceBody(c, 'security_group', attributes(c), 'create');
  const projectId = ownerFor(c, b);
  const name = b['name'] === undefined ? '' : text('name', b['name']);
  // The project's default group exists before any other (and so a second one is a 409).
  ensureDefaultGroup(c.store, projectId);
  if (name === 'default') throw defaultExists();
  checkQuota(c, 'security_group', projectId);
  checkQuota(c, 'security_group_rule', projectId, 2);
  const g = c.store.securityGroups.insert({
    id: c.store.ids.uuid(), name, description: b['description'] === undefined ? '' : text('description', b['description']), projectId, createdAt: c.store.now(),
  });
  addEgressRules(c.store, g);
  return reply(c, 201, g);
}

async function update(c: NeutronCall): Promise<SimReply> {
  const g = groupOf(c, c.req.params['id']);
  requireOwner(c, g, 'update_security_group');
  const b = await resourceBody(c, 'security_group', attributes(c), 'update');
  if (b['name'] !== undefined) {
    const name = text('name', b['name']);
    if (g.name === 'default' && name !== 'default') throw conflict('Updating default security group not allowed.', 'SecurityGroupCannotUpdateDefault');
    if (name === 'default' && g.name !== 'default') throw defaultExists();
    g.name = name;
  }
  if (b['description'] !== undefined) g.description = text('description', b['description']);
  touch(c.store, 'security-groups', g.id, g.createdAt);
  return reply(c, 200, g);
}

/**
 * Deletes a group and its rules (and, as the foreign key cascades, other groups' rules that
 * name it as their remote group). 409 `SecurityGroupInUse` while a port uses it; a project's
 * `default` group only goes by an admin's hand.
 */
function remove(c: NeutronCall): SimReply {
  const g = groupOf(c, c.req.params['id']);
  requireOwner(c, g, 'delete_security_group');
  if (g.name === 'default' && !c.isAdmin) {
    throw conflict(c.profile.neutronModernApi ? 'Insufficient rights for removing default security group.' : 'Removing default security group not allowed.', 'SecurityGroupCannotRemoveDefault');
  }
  if (c.store.ports.find((p) => p.securityGroups.includes(g.id))) throw conflict(`Security Group ${g.id} in use.`, 'SecurityGroupInUse');
  for (const r of c.store.securityGroupRules.filter((x) => x.securityGroupId === g.id || x.remoteGroupId === g.id)) {
    c.store.securityGroupRules.delete(r.id);
    forget(c.store, r.id);
  }
  c.store.securityGroups.delete(g.id);
  forget(c.store, g.id);
  return empty(204);
}

export function securityGroupRoutes(): NeutronRoute[] {
  return [
    { method: 'GET', path: '/security-groups', handler: listGroups },
    { method: 'POST', path: '/security-groups', handler: create },
    { method: 'GET', path: '/security-groups/{id}', handler: (c) => reply(c, 200, groupOf(c, c.req.params['id'])) },
    { method: 'PUT', path: '/security-groups/{id}', handler: update },
    { method: 'DELETE', path: '/security-groups/{id}', handler: remove },
  ];
}
