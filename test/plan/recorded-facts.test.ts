import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { recordedFacts } from '../../src/plan/index.js';

describe('recordedFacts: what a finished action leaves in its state attributes', () => {
  const after = {
    name: 'web',
    cidr: '10.0.0.0/24',
    gateway_ip: null,
    network_id: { $ref: '0123456789ab' },
    dns_nameservers: ['8.8.8.8'],
    allocation_pools: [],
    host_routes: [{ destination: '192.168.0.0/24', nexthop: '10.0.0.254' }],
    allowed_address_pairs: [{ ip_address: '10.0.0.100' }],
    security_groups: [{ $ref: 'abcdef012345' }],
    metadata: { role: 'db' },
    password: 'not-recorded',
  };

  test('scalars and the named plain lists; no refs, nulls, secrets, other objects, nor an empty pool list', () => {
    assert.deepEqual(recordedFacts({ action: 'create', after }), {
      name: 'web',
      cidr: '10.0.0.0/24',
      dns_nameservers: ['8.8.8.8'],
      host_routes: [{ destination: '192.168.0.0/24', nexthop: '10.0.0.254' }],
      allowed_address_pairs: [{ ip_address: '10.0.0.100' }],
    });
  });

  test('an adopted twin keeps lists of its own: only scalars; what the steps reported is skipped', () => {
    assert.deepEqual(recordedFacts({ action: 'adopt', after }, { cidr: '10.0.0.0/24' }), { name: 'web' });
  });

  test('a list holding a ref is not a fact', () => {
    assert.deepEqual(recordedFacts({ action: 'create', after: { host_routes: [{ destination: '0.0.0.0/0', nexthop: { $ref: '0123456789ab' } }] } }), {});
  });
});
