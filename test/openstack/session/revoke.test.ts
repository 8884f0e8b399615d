// Session.revokeWith(admin): a user's token revoked by an admin on the simulator's Keystone
// v2.0 (Juno: DELETE /v2.0/tokens/{id}, admin only) and v3 (DELETE /v3/auth/tokens with
// X-Subject-Token); the token id is in no event.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryReporter } from '../../../src/events/index.js';
import { displayPath } from '../../../src/openstack/http/url.js';
import { Session } from '../../../src/openstack/index.js';
import { startSimCloud, type SimCloud } from '../../../src/sim/index.js';

for (const release of ['juno', 'modern'] as const) {
  describe(`Session.revokeWith on ${release}`, () => {
    let sim: SimCloud;
    before(async () => {
      sim = await startSimCloud({ release, network: release === 'juno' ? 'nova-network:flatdhcp' : 'neutron', hashCost: 'fast' }, { name: 'source' });
    });
    after(async () => {
      await sim?.close();
    });

    test('the user token no longer validates; the admin session keeps working', async () => {
      const issued: string[] = [];
      const issue = sim.tokens.issue.bind(sim.tokens);
      sim.tokens.issue = (input) => {
        const t = issue(input);
        issued.push(t.id);
        return t;
      };
      const reporter = new MemoryReporter();
      const authUrl = sim.authUrlV2 ?? sim.authUrlV3!;
      const v3 = sim.authUrlV2 === undefined ? { userDomainName: 'Default', projectDomainName: 'Default' } : {};
      const admin = await Session.login({ authUrl, username: sim.admin.username, password: sim.admin.password, projectName: sim.admin.projectName, ...v3 }, { reporter });
      const user = await Session.login({ authUrl, username: sim.admin.username, password: sim.admin.password, projectName: sim.admin.projectName, ...v3 }, { reporter });
      try {
        const token = issued.at(-1)!;
        assert.ok(sim.tokens.validate(token));
        await user.revokeWith(admin);
        assert.equal(sim.tokens.validate(token), undefined);
        assert.ok(sim.tokens.validate(issued[0]), 'the admin token is still valid');
        assert.ok(!JSON.stringify(reporter.events).includes(token));
      } finally {
        sim.tokens.issue = issue;
        await user.close();
        await admin.close();
      }
    });
  });
}

test('displayPath hides the token id of a v2.0 /tokens/{id} path', () => {
  assert.equal(displayPath(new URL('http://k:35357/v2.0/tokens/gAAAAAsecret?belongsTo=x')), '/v2.0/tokens/***?belongsTo=x');
  assert.equal(displayPath(new URL('http://k:5000/v3/auth/tokens')), '/v3/auth/tokens');
});
