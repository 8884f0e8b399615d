import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAfter, at, dependsOn, run } from './fixtures/helpers.js';
import { desired, tenant } from './fixtures/manifest.js';
import { neutronClouds } from './fixtures/neutron-clouds.js';

function planned() {
  const c = neutronClouds();
  const hosts = [{ name: 'node-1', environment: 'new', roles: ['compute'], layout: { kind: 'plugin' as const } }];
  return run({ desired: desired({ tenants: [tenant('acme', { sourceAfter: 'delete' })], hosts }), source: c.source, destination: c.destination, fuel: c.fuel });
}

describe('plan: dependency order', () => {
  const p = planned();
  const a = (address: string, action?: string) => at(p, address, action);

  test('actions are in topological order (every dependency earlier)', () => {
    const pos = new Map(p.actions.map((x, i) => [x.id, i]));
    for (const [i, x] of p.actions.entries()) for (const d of x.depends_on) assert.ok(pos.get(d)! < i, `${x.address}`);
  });

  test('rules after their group and after the group they reference', () => {
    const webFromDb = a('tenant[acme].security_group[web].rule[ingress-ipv4-tcp-8080-8080-group:db]');
    assertAfter(p, webFromDb, a('tenant[acme].security_group[web]'));
    assertAfter(p, webFromDb, a('tenant[acme].security_group[db]'));
    const dbFromWeb = a('tenant[acme].security_group[db].rule[ingress-ipv4-tcp-5432-5432-group:web]');
    assertAfter(p, dbFromWeb, a('tenant[acme].security_group[web]'));
    assert.deepEqual(webFromDb.after?.['remote_group_id'], { $ref: a('tenant[acme].security_group[db]').id });
  });

  test('a floating IP after the router gateway and the interface on its port subnet', () => {
    const fip = a('tenant[acme].floating_ip[172.24.4.10]');
    assertAfter(p, fip, a('tenant[acme].router[r1]'));
    assertAfter(p, fip, a('tenant[acme].router[r1].interface[private-subnet]'));
    assertAfter(p, fip, a('tenant[acme].port[web-1/10.0.0.5]'));
    assert.equal(a('tenant[acme].router[r1]').after?.['external_gateway'] !== null, true);
  });

  test('a server after its ports, volumes, image, flavor, keypair, groups and floating IPs', () => {
    const web = a('tenant[acme].server[web-1]');
    for (const dep of [
      'tenant[acme].port[web-1/10.0.0.5]',
      'image[cirros]',
      'flavor[m1.small]',
      'user[alice].keypair[k1]',
      'tenant[acme].security_group[web]',
      'tenant[acme].floating_ip[172.24.4.10]',
    ]) {
      assertAfter(p, web, a(dep));
    }
    const db = a('tenant[acme].server[db-1]');
    assertAfter(p, db, a('tenant[acme].volume[data]'));
    assertAfter(p, db, a('flavor[gold].access[acme]'));
    const bfv = a('tenant[acme].server[bfv-1]');
    assertAfter(p, bfv, a('tenant[acme].volume[root]'));
    assert.deepEqual(bfv.after?.['root_volume_id'], { $ref: a('tenant[acme].volume[root]').id });
    assert.equal(bfv.after?.['boot_from'], 'volume');
  });

  test('the source copy goes only after the server and its floating IPs moved', () => {
    const after = a('tenant[acme].server[web-1].source_after');
    assertAfter(p, after, a('tenant[acme].server[web-1]'));
    assertAfter(p, after, a('tenant[acme].floating_ip[172.24.4.10]'));
  });

  test('tenant work sits between the admin grant and its revoke', () => {
    const grant = a('tenant[acme].admin_membership', 'grant');
    const revoke = a('tenant[acme].admin_membership', 'revoke');
    for (const x of ['tenant[acme].server[web-1]', 'tenant[acme].network[private]', 'tenant[acme].volume[scratch]', 'tenant[acme].security_group[web].rule[ingress-ipv4-tcp-80-80-0.0.0.0/0]']) {
      assertAfter(p, a(x), grant);
      assertAfter(p, revoke, a(x));
    }
    assertAfter(p, grant, a('tenant[acme]'));
    assert.equal(dependsOn(p, a('tenant[acme].quota'), grant), false, 'admin APIs need no tenant scope');
  });

  test('host evacuation after the tenant migrations of its servers, reassignment after evacuation', () => {
    const evac = a('host[node-1].evacuation');
    const reassign = a('host[node-1]');
    assertAfter(p, evac, a('tenant[acme].server[web-1]'));
    assertAfter(p, evac, a('tenant[acme].server[web-1].source_after'));
    assertAfter(p, evac, a('tenant[acme].server[db-1].source_after'));
    assertAfter(p, reassign, evac);
    assert.equal(dependsOn(p, evac, a('tenant[acme].server[bfv-1]')), false, 'bfv-1 runs on node-2');
  });

  test('identity before what uses it', () => {
    assertAfter(p, a('user[alice]'), a('tenant[acme]'));
    assertAfter(p, a('tenant[acme].user[alice].role[_member_]'), a('user[alice]'));
    assertAfter(p, a('tenant[acme].user[alice].role[_member_]'), a('role[_member_]'));
    assertAfter(p, a('user[alice].password_hash'), a('user[alice]'));
    assertAfter(p, a('flavor[gold].access[acme]'), a('flavor[gold]'));
  });
});
