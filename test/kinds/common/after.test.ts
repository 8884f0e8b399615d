import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { PumphouseError } from '../../../src/errors/index.js';
import { SecretValue } from '../../../src/kinds/contract.js';
import { AfterValues } from '../../../src/kinds/common/after.js';

const at = (values: ConstructorParameters<typeof AfterValues>[0]) => new AfterValues(values, 'tenant[acme].network[x]');

function planInvalid(field: string) {
  return (err: unknown) => PumphouseError.is(err) && err.code === 'PH_PLAN_INVALID' && err.address === 'tenant[acme].network[x]' && err.details?.['field'] === field;
}

describe('AfterValues', () => {
  it('reads typed values, with null for absent optional ones', () => {
    const a = at({ name: 'n', shared: true, mtu: 1450, gw: null, pools: [{ start: 'a', end: 'b' }], ids: ['x', 'y'] });
    assert.equal(a.str('name'), 'n');
    assert.equal(a.bool('shared', false), true);
    assert.equal(a.bool('missing', true), true);
    assert.equal(a.optNum('mtu'), 1450);
    assert.equal(a.optStr('gw'), null);
    assert.equal(a.optStr('absent'), null);
    assert.deepEqual(a.objects('pools').map((p) => p.str('end')), ['b']);
    assert.deepEqual(a.strings('ids'), ['x', 'y']);
    assert.deepEqual(a.list('absent'), []);
  });

  it('fails with PH_PLAN_INVALID naming the field, never the value', () => {
    const a = at({ name: '', n: 'seven', ids: ['x', 3], pw: 'hunter2' });
    assert.throws(() => a.str('name'), planInvalid('after.name'));
    assert.throws(() => a.num('n'), planInvalid('after.n'));
    assert.throws(() => a.strings('ids'), planInvalid('after.ids[1]'));
    assert.throws(() => a.secret('pw'), (err: unknown) => planInvalid('after.pw')(err) && !String((err as Error).message).includes('hunter2'));
  });

  it('reveals secrets only in string maps sent to the cloud, and keeps them hidden elsewhere', () => {
    const secret = new SecretValue('s3cr3t');
    const a = at({ specs: { 'hw:cpu_policy': 'shared', db_password: secret }, pw: secret });
    assert.deepEqual(a.stringMap('specs'), { 'hw:cpu_policy': 'shared', db_password: 's3cr3t' });
    assert.equal(a.secret('pw').reveal(), 's3cr3t');
    assert.equal(inspect(a), inspect(a).replace('s3cr3t', ''));
    assert.equal(JSON.stringify(a.values).includes('s3cr3t'), false);
  });

  it('reads quota maps and rejects non-numbers', () => {
    assert.deepEqual(at({ compute: { cores: 4 } }).optNumberMap('compute'), { cores: 4 });
    assert.equal(at({ compute: null }).optNumberMap('compute'), null);
    assert.throws(() => at({ compute: { cores: '4' } }).optNumberMap('compute'), planInvalid('after.compute.cores'));
  });
});
