import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFuelSimulator, type FuelSimulator } from '../../../src/sim/fuel/index.js';
import { raw, token, twoEnvironments } from './helpers.js';

const sims: FuelSimulator[] = [];
after(async () => {
  for (const s of sims) await s.close();
});

async function env(): Promise<{ sim: FuelSimulator; tok: string }> {
  const { sim } = await twoEnvironments();
  sims.push(sim);
  return { sim, tok: await token(sim) };
}

test('errors are bare strings under Content-Type application/json; lists are complete JSON', async () => {
  const { sim, tok } = await env();
  const r = await raw(sim, 'GET', '/api/nodes/999', { token: tok });
  assert.deepEqual([r.status, r.text, r.contentType], [404, 'Node not found', 'application/json']);
  assert.throws(() => r.json(), 'not JSON');
  assert.deepEqual([(await raw(sim, 'GET', '/api/clusters/77', { token: tok })).text, (await raw(sim, 'GET', '/api/tasks/77', { token: tok })).text], ['Cluster not found', 'Task not found']);
  const nodes = await raw(sim, 'GET', '/api/v1/nodes/', { token: tok });
  assert.equal(nodes.status, 200, '/api/v1 and a trailing slash are the same route');
  assert.equal((nodes.json() as unknown[]).length, 5);
  const first = (nodes.json() as Record<string, unknown>[])[0] as Record<string, unknown>;
  assert.equal('hostname' in first, false, 'Fuel 6.0 nodes have no hostname field');
  assert.deepEqual(Object.keys(first).sort(), ['cluster', 'error_type', 'fqdn', 'group_id', 'id', 'ip', 'kernel_params', 'mac', 'manufacturer', 'meta', 'name', 'network_data', 'online', 'os_platform', 'pending_addition', 'pending_deletion', 'pending_roles', 'platform_name', 'progress', 'roles', 'status']);
  const unassigned = (await raw(sim, 'GET', '/api/nodes?cluster_id=', { token: tok })).json() as { fqdn: string; status: string }[];
  assert.deepEqual(unassigned.map((n) => [n.fqdn, n.status]), [['node-5.domain.tld', 'discover']]);
});

test('the master checks tokens, content types and methods before Nailgun runs', async () => {
  const { sim, tok } = await env();
  const denied = await raw(sim, 'GET', '/api/nodes');
  assert.deepEqual([denied.status, denied.text], [401, 'Authentication required']);
  const version = await raw(sim, 'GET', '/api/version');
  assert.equal(version.status, 200, 'version is public');
  assert.equal((version.json() as { auth_required: boolean }).auth_required, true);
  const badLogin = await raw(sim, 'POST', '/keystone/v2.0/tokens', { body: { auth: { tenantName: 'admin', passwordCredentials: { username: 'admin', password: 'nope' } } } });
  assert.equal(badLogin.status, 401);
  assert.equal((badLogin.json() as { error: { title: string } }).error.title, 'Unauthorized', 'Keystone errors are JSON');
  assert.equal((await raw(sim, 'PUT', '/api/clusters/1/changes', { token: tok, contentType: 'text/plain' })).status, 415);
  assert.equal((await raw(sim, 'DELETE', '/api/clusters', { token: tok })).status, 405);
  assert.equal((await raw(sim, 'GET', '/api/nothing', { token: tok })).status, 404);
});

test('assignment follows Nailgun 6.0: 200 empty body, 400 for unknown, assigned, invalid or conflicting roles, 404 for the environment', async () => {
  const { sim, tok } = await env();
  const post = (cluster: number, body: unknown) => raw(sim, 'POST', `/api/clusters/${cluster}/assignment/`, { token: tok, body });
  assert.deepEqual([(await post(9, [{ id: 5, roles: ['compute'] }])).status, (await post(9, [{ id: 5, roles: ['compute'] }])).text], [404, 'Cluster not found']);
  const cases: [unknown, string][] = [
    [[{ id: 50, roles: ['compute'] }], 'Nodes with ids 50 were not found.'],
    [[{ id: 2, roles: ['compute'] }], 'Nodes with ids 2 already assigned to environments. Nodes must be unassigned before they can be assigned again.'],
    [[{ id: 5, roles: ['hypervisor'] }], 'hypervisor are not valid roles for node in Juno on Ubuntu 12.04.4 release'],
    [[{ id: 5, roles: ['compute', 'controller'] }], 'Role "compute" in conflict with role controller'],
  ];
  for (const [body, message] of cases) assert.deepEqual([(await post(2, body)).status, (await post(2, body)).text], [400, message]);
  const okReply = await post(2, [{ id: 5, roles: ['compute', 'cinder'] }]);
  assert.deepEqual([okReply.status, okReply.text], [200, '']);
  const node = (await raw(sim, 'GET', '/api/nodes/5', { token: tok })).json() as Record<string, unknown>;
  assert.deepEqual([node.cluster, node.pending_roles, node.pending_addition, node.status], [2, ['compute', 'cinder'], true, 'discover']);
  const ifaces = (await raw(sim, 'GET', '/api/nodes/5/interfaces', { token: tok })).json() as { name: string; assigned_networks: { name: string }[] }[];
  assert.deepEqual(ifaces.map((i) => [i.name, i.assigned_networks.map((n) => n.name)]), [
    ['eth0', ['fuelweb_admin', 'management', 'storage', 'fixed']],
    ['eth1', ['public']],
    ['eth2', []],
    ['eth3', []],
  ], 'Nailgun\'s default network assignment');
  const disks = (await raw(sim, 'GET', '/api/nodes/5/disks', { token: tok })).json() as { volumes: { name: string }[] }[];
  assert.deepEqual(disks[0]?.volumes.map((v) => v.name), ['os', 'cinder', 'vm'], 'volumes follow the pending roles');
  const cluster = (await raw(sim, 'GET', '/api/clusters/2', { token: tok })).json() as { changes: unknown[] };
  assert.deepEqual(cluster.changes, [{ name: 'interfaces', node_id: 5 }]);
});

test('unassignment: a discover node leaves at once (same id), a deployed one waits for the deploy; repeats and strangers are 400', async () => {
  const { sim, tok } = await env();
  const post = (cluster: number, ids: number[]) => raw(sim, 'POST', `/api/clusters/${cluster}/unassignment/`, { token: tok, body: ids.map((id) => ({ id })) });
  assert.deepEqual([(await post(1, [4])).status, (await post(1, [4])).text], [400, 'Nodes [4] are not members of environment 1.']);
  assert.equal((await post(1, [5])).text, 'Nodes [5] are not members of environment 1.', 'an unassigned node is in no environment');
  assert.equal((await post(1, [99])).text, 'Nodes with ids 99 were not found.');
  assert.equal((await post(1, [2])).status, 200);
  assert.deepEqual([(await post(1, [2])).status, (await post(1, [2])).text], [400, "Can't unassign nodes with ids 2 if they not assigned."], 'already pending deletion');
  const two = (await raw(sim, 'GET', '/api/nodes/2', { token: tok })).json() as Record<string, unknown>;
  assert.deepEqual([two.pending_deletion, two.status, two.cluster], [true, 'ready', 1]);
  await raw(sim, 'POST', '/api/clusters/1/assignment', { token: tok, body: [{ id: 5, roles: ['compute'] }] });
  assert.equal((await post(1, [5])).status, 200);
  const five = (await raw(sim, 'GET', '/api/nodes/5', { token: tok })).json() as Record<string, unknown>;
  assert.deepEqual([five.cluster, five.pending_roles, five.pending_addition, five.pending_deletion], [null, [], false, false]);
});

test('deploy of changes: 400 when there is nothing to do, 202 deploy task, HTTP 500 while one runs (Nailgun 6.0 does not catch DeploymentAlreadyStarted)', async () => {
  const { sim, tok } = await env();
  const put = () => raw(sim, 'PUT', '/api/clusters/1/changes', { token: tok, body: {} });
  assert.deepEqual([(await put()).status, (await put()).text], [400, 'No changes to deploy']);
  await raw(sim, 'POST', '/api/clusters/1/unassignment', { token: tok, body: [{ id: 2 }] });
  const started = await put();
  assert.equal(started.status, 202);
  const task = started.json() as { id: number; name: string; status: string; cluster: number; uuid: string };
  assert.deepEqual([task.name, task.status, task.cluster], ['deploy', 'running', 1]);
  assert.match(task.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  const again = await put();
  assert.deepEqual([again.status, again.text], [500, 'internal server error']);
  const tasks = (await raw(sim, 'GET', '/api/tasks?cluster_id=1', { token: tok })).json() as { name: string }[];
  assert.deepEqual(tasks.map((t) => t.name), ['deploy', 'node_deletion']);
  await sim.settle();
  // The next deploy drops the finished one: a client still polling the old id gets 404.
  await raw(sim, 'POST', '/api/clusters/1/unassignment', { token: tok, body: [{ id: 1 }] });
  assert.equal((await put()).status, 202);
  assert.equal((await raw(sim, 'GET', `/api/tasks/${task.id}`, { token: tok })).status, 404);
});

test('PUT interfaces enforces NetAssignmentValidator: ids, every current network exactly once', async () => {
  const { sim, tok } = await env();
  const get = async () => (await raw(sim, 'GET', '/api/nodes/2/interfaces', { token: tok })).json() as { id: number; type: string; name: string; assigned_networks: { id: number; name: string }[] }[];
  const put = (body: unknown) => raw(sim, 'PUT', '/api/nodes/2/interfaces', { token: tok, body });
  const ifaces = await get();
  const nets = ifaces.flatMap((i) => i.assigned_networks);
  const admin = nets.find((n) => n.name === 'fuelweb_admin');
  const rest = nets.filter((n) => n.name !== 'fuelweb_admin');
  const layout = (a: unknown[], b: unknown[]) => ifaces.map((i, k) => ({ id: i.id, type: 'ether', assigned_networks: k === 0 ? a : k === 1 ? b : [] }));
  assert.deepEqual([(await put(layout([admin], []))).status, (await put(layout([admin], []))).text], [400, `Node '2': ${rest.map((n) => `'${n.id}'`).join(',')} network(s) are left unassigned`]);
  assert.equal((await put(layout([admin, ...rest], [admin]))).text, `Node '2': there is a duplicated network '${admin?.id}' in assigned networks (second occurrence is in interface '${ifaces[1]?.id}')`);
  assert.equal((await put(layout([admin, ...rest, { id: 999 }], []))).text, "Network '999' doesn't exist for node 2");
  assert.equal((await put([{ id: 4242, type: 'ether', assigned_networks: [] }])).text, "Node '2': there is no interface with ID '4242' in DB");
  assert.equal((await put([{ type: 'ether', assigned_networks: [] }])).text, "Node '2': each HW interface must have ID");
  const moved = await put(layout([admin], rest));
  assert.equal(moved.status, 200);
  assert.deepEqual((await get())[1]?.assigned_networks.map((n) => n.name), rest.map((n) => n.name));
});

test('PUT disks: volumes must fit the disk', async () => {
  const { sim, tok } = await env();
  const disks = (await raw(sim, 'GET', '/api/nodes/2/disks', { token: tok })).json() as { id: string; size: number; volumes: { name: string; size: number }[] }[];
  const sda = disks[0] as (typeof disks)[number];
  const tooBig = await raw(sim, 'PUT', '/api/nodes/2/disks', { token: tok, body: [{ ...sda, volumes: [{ name: 'os', size: sda.size }, { name: 'vm', size: 1 }] }] });
  assert.equal(tooBig.status, 400);
  assert.match(tooBig.text, /^Not enough free space on disk: /);
  assert.equal((await raw(sim, 'PUT', '/api/nodes/2/disks', { token: tok, body: [] })).text, 'Node seems not to have disks');
  const ok = await raw(sim, 'PUT', '/api/nodes/2/disks', { token: tok, body: [{ ...sda, volumes: [{ name: 'os', size: 30000 }, { name: 'vm', size: 70000 }] }] });
  assert.equal(ok.status, 200);
  assert.deepEqual((ok.json() as typeof disks)[0]?.volumes, [{ name: 'os', size: 30000 }, { name: 'vm', size: 70000 }]);
});

test('the same seed gives the same machines; another seed other MACs', async () => {
  const start = (seed: number) => startFuelSimulator({ seed, environments: [{ name: 'e' }] }).then((s) => (sims.push(s), s));
  const [a, b, c] = await Promise.all([start(7), start(7), start(8)]);
  const macs = (s: FuelSimulator) => s.nodes().map((n) => n.macs.join(','));
  assert.deepEqual(macs(a as FuelSimulator), macs(b as FuelSimulator));
  assert.notDeepEqual(macs(a as FuelSimulator), macs(c as FuelSimulator));
  assert.equal(new Set((a as FuelSimulator).nodes().flatMap((n) => n.macs)).size, 12, 'MACs are unique');
});
