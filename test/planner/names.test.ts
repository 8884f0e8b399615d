import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAddress } from '../../src/plan/index.js';
import { child, childAt, seg, segmentText, uniqueNames } from '../../src/planner/names.js';

describe('planner names', () => {
  test('childAt writes what child and formatAddress write, quoting the same names', () => {
    const names = ['web-1', 'a b', ' lead', 'trail ', '', 'x[1]', 'q"', 'back\\slash', 'tab\t', '\u00a0nbsp', 'é', '10.0.0.5/web', 'a]b'];
    for (const name of names) {
      assert.equal(segmentText('server', name), formatAddress([{ type: 'server', name }]), JSON.stringify(name));
      assert.equal(childAt('tenant[acme]', 'server', name), child('tenant[acme]', seg('server', name)), JSON.stringify(name));
    }
    assert.equal(childAt('tenant[acme]', 'quota'), 'tenant[acme].quota');
    assert.throws(() => segmentText('Bad-Type', 'x'), /bad address segment type/);
  });

  test('uniqueNames: a lone or empty name, and clashes, as before', () => {
    const rec = (id: string, name: string) => ({ id, name });
    const of = (list: { id: string; name: string }[]) => uniqueNames(list, (r) => r.name, (r) => r.id);
    assert.deepEqual([...of([rec('1234567890', 'web')])], [['1234567890', 'web']]);
    assert.deepEqual([...of([rec('1234567890', '')])], [['1234567890', '#12345678']]);
    assert.deepEqual(
      [...of([rec('aaaaaaaa-1', 'web'), rec('aaaaaaaa-2', 'web'), rec('b', 'db'), rec('cccccccc9', 'x'), rec('cccccccc8', 'x'), rec('dddddddd1', 'y'), rec('eeeeeeee2', 'y')])].sort(),
      [['aaaaaaaa-1', 'web#aaaaaaaa-1'], ['aaaaaaaa-2', 'web#aaaaaaaa-2'], ['b', 'db'], ['cccccccc8', 'x#cccccccc8'], ['cccccccc9', 'x#cccccccc9'], ['dddddddd1', 'y#dddddddd'], ['eeeeeeee2', 'y#eeeeeeee']].sort(),
    );
  });
});
