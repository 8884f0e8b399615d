import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { standardSteps, type ActionType, type ResourceKind } from '../../src/plan/index.js';
import { kindRegistry } from '../../src/kinds/registry.js';
import { KINDS_PART_1_PLAIN, kindsPart1, kindsPart1FromConfig } from '../../src/kinds/index-part-1.js';

/** What the planner writes for each part-1 kind (src/planner/*.ts), as (action, steps). */
const PLANNED: ReadonlyArray<readonly [ResourceKind, ActionType, (readonly string[])?]> = [
  ['project', 'create'],
  ['project', 'adopt'],
  ['user', 'create'],
  ['user', 'adopt'],
  ['role', 'create'],
  ['role', 'adopt'],
  ['role_assignment', 'create'],
  ['role_assignment', 'adopt'],
  ['password_hash', 'update'],
  ['password_hash', 'update', ['generate_password', 'write_destination_password', 'verify']],
  ['admin_membership', 'grant'],
  ['admin_membership', 'revoke'],
  ['quota', 'update'],
  ['flavor', 'create'],
  ['flavor', 'adopt'],
  ['flavor_access', 'create'],
  ['flavor_access', 'adopt'],
  ['keypair', 'create'],
  ['keypair', 'adopt'],
  ['owner_keypairs', 'create'],
  ['security_group', 'create'],
  ['security_group', 'adopt'],
  ['security_group_rule', 'create'],
  ['security_group_rule', 'adopt'],
  ['network', 'create'],
  ['network', 'adopt'],
  ['subnet', 'create'],
  ['subnet', 'adopt'],
  ['router', 'create'],
  ['router', 'adopt'],
  ['router_interface', 'create'],
  ['router_interface', 'adopt'],
  ['rbac_policy', 'create'],
  ['rbac_policy', 'adopt'],
  ['port', 'create'],
  ['port', 'adopt'],
  ['floating_ip', 'create'],
  ['floating_ip', 'create', ['allocate']],
  ['floating_ip', 'adopt'],
  ['floating_ip', 'adopt', ['allocate']],
];

describe('kinds part 1', () => {
  it('registers one handler for each of its 20 kinds', async () => {
    const part = kindsPart1();
    const registry = kindRegistry(part);
    assert.deepEqual(registry.kinds, [...new Set(PLANNED.map(([k]) => k))].sort());
    assert.equal(KINDS_PART_1_PLAIN.length, 19);
    assert.ok(registry.preconditions && registry.secrets);
    await part.close();
  });

  it('declares every step the planner writes for these kinds', () => {
    const registry = kindRegistry(kindsPart1());
    for (const [kind, action, steps] of PLANNED) {
      const declared = registry.handler(kind)?.steps[action] ?? [];
      for (const step of steps ?? standardSteps(kind, action)) assert.ok(declared.includes(step), `${kind} ${action} ${step}`);
    }
  });

  it('takes the Keystone database URLs from a loaded config', async () => {
    const part = kindsPart1FromConfig({ source: undefined, destination: undefined });
    await assert.rejects(part.secrets.resolve('keystone/user/u1/password_hash', { clouds: {} as never, signal: new AbortController().signal, reporter: { emit() {} } }), /CLOUDS\.source\.identity\.connection/);
  });
});
