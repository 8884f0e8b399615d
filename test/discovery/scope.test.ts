import { test } from 'node:test';
import assert from 'node:assert/strict';
import { destinationScope, discoverFuel, sourceProjects, sourceUsers, type FuelReader } from '../../src/discovery/index.js';
import { MemoryReporter } from '../../src/events/index.js';
import type { Project, RoleAssignment, Server, User } from '../../src/openstack/index.js';
import type { StateFile, StateObject } from '../../src/state/index.js';
import { desired, tenant } from '../planner/fixtures/manifest.js';

const project = (id: string, name: string, description = ''): Project => ({ id, name, description, enabled: true, domainId: 'default', parentId: null });
const user = (id: string, name: string, description: string | null = null): User => ({ id, name, email: null, enabled: true, defaultProjectId: null, domainId: 'default', description });
const server = (id: string, tenantId: string, userId: string): Server => ({ id, tenantId, userId } as Server);

const projects = [project('p1', 'acme'), project('p2', 'acme'), project('p3', 'beta'), project('p4', 'gamma')];

test('source projects: by id, or every project carrying the name (the planner reports ambiguity)', () => {
  const d = desired({ tenants: [tenant('acme'), tenant('id:p4', { ref: { by: 'id', value: 'p4' } }), tenant('nowhere')] });
  assert.deepEqual([...sourceProjects(d, projects)].sort(), ['p1', 'p2', 'p4']);
});

test('source users: members and server owners of the scoped projects, or everyone', () => {
  const users = [user('u1', 'alice'), user('u2', 'bob'), user('u3', 'carol'), user('u4', 'dave')];
  const assignments: RoleAssignment[] = [{ userId: 'u1', projectId: 'p1', roleId: 'r' }, { userId: 'u2', projectId: 'p3', roleId: 'r' }];
  const servers = [server('s1', 'p1', 'u3'), server('s2', 'p3', 'u4')];
  const scoped = new Set(['p1']);
  assert.deepEqual([...sourceUsers(desired(), scoped, users, assignments, servers)].sort(), ['u1', 'u3']);
  assert.deepEqual([...sourceUsers(desired({ identity: { users: 'all', roles: 'used', passwords: 'skip' } }), scoped, users, assignments, servers)].sort(), ['u1', 'u2', 'u3', 'u4']);
});

test('destination scope: marked copies, copies the state records, and same-name objects', () => {
  const dstProjects = [project('d1', 'acme-renamed', 'x [pumphouse_source=p1 kind=project]'), project('d2', 'acme'), project('d3', 'other'), project('d4', 'moved')];
  const dstUsers = [user('du1', 'alice'), user('du2', 'someone', '[pumphouse_source=u9 kind=user]'), user('du3', 'zed')];
  const obj = (kind: string, source: string, dest: string): StateObject => ({ kind, source_id: source, destination_id: dest } as unknown as StateObject);
  const prior = { objects: [obj('project', 'p1', 'd4'), obj('project', 'p-unscoped', 'd3'), obj('user', 'u9', 'du3')] } as unknown as StateFile;
  const scope = destinationScope({ projects: [project('p1', 'acme')], users: [user('u1', 'alice'), user('u9', 'ghost')] }, dstProjects, dstUsers, prior);
  assert.deepEqual([...scope.projectIds].sort(), ['d1', 'd2', 'd4']);
  assert.deepEqual([...scope.userIds].sort(), ['du1', 'du2', 'du3']);
});

test('Fuel discovery: three reads, events with the call count', async () => {
  let calls = 2; // version probe and login, made when the client was opened
  const reader: FuelReader = {
    get callCount() {
      return calls;
    },
    clusters: async () => (calls++, [{ id: 1, name: 'env', status: 'operational', releaseId: 1 }]),
    releases: async () => (calls++, [{ id: 1, name: 'Juno', version: '2014.2-6.0' }]),
    nodes: async () => (calls++, [{ id: 5, hostname: 'node-5', status: 'ready', online: true, clusterId: 1, roles: ['compute'], pendingRoles: [], macs: ['52:54:00:00:00:05'] }]),
  };
  const reporter = new MemoryReporter();
  const inv = await discoverFuel(reader, { reporter, now: () => new Date('2026-11-26T12:00:00Z') });
  assert.deepEqual(inv.observed, { at: '2026-11-26T12:00:00.000Z', calls: 5 });
  assert.equal(inv.nodes.length, 1);
  assert.deepEqual(reporter.events.map((e) => e.type), ['discovery_start', 'discovery_complete']);
  assert.equal(reporter.ofType('discovery_complete')[0]!.objects, 2);
});
