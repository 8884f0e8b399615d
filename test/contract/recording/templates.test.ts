import assert from 'node:assert/strict';
import { test } from 'node:test';
import { templatePath, templateQuery, templateUrl, templateValue, type Volatile } from './templates.js';

const v: Volatile = { projectIds: ['d30738203a054eeabf0e4e69247e7088'], namePrefix: 'phc-', hosts: ['source-compute-1'] };

test('ids, names, hosts, addresses and request ids become placeholders; structure stays', () => {
  assert.equal(templateValue('d30738203a054eeabf0e4e69247e7088', v), '{project_id}');
  assert.equal(templateValue('2266dd87-c89e-46e5-9023-543c3fcef0ef', v), '{id}');
  assert.equal(templateValue('0123456789abcdef0123456789abcdef', v), '{id}');
  assert.equal(templateValue('phc-1a2b3c4d-vm', v), '{name}');
  assert.equal(templateValue('source-compute-1', v), '{name}');
  assert.equal(templateValue('203.0.113.7', v), '{ip}');
  assert.equal(templateValue('req-8b073f31-9fa2-486e-9c9f-4b79dac918a2', v), 'req-{uuid}');
  assert.equal(templateValue('detail', v), 'detail');
  assert.equal(templateValue('application/json', v), 'application/json');
});

test('paths keep their version and collection segments', () => {
  assert.equal(templatePath('/v3/d30738203a054eeabf0e4e69247e7088/volumes/2266dd87-c89e-46e5-9023-543c3fcef0ef', v), '/v3/{project_id}/volumes/{id}');
  assert.equal(templatePath('/v2.1/os-hypervisors/1', v), '/v2.1/os-hypervisors/{id}');
  assert.equal(templatePath('/v2.1/os-keypairs/phc-1a2b3c4d-key', v), '/v2.1/os-keypairs/{name}');
});

test('queries are sorted key=value pairs with templated values; URLs lose their origin', () => {
  assert.deepEqual(templateQuery(new URLSearchParams('name=phc-1a2b3c4d-x&limit=1000'), v), ['limit=1000', 'name={name}']);
  assert.equal(templateUrl('http://127.0.0.1:9292//images/2266dd87-c89e-46e5-9023-543c3fcef0ef', v), '{endpoint}//images/{id}');
});
