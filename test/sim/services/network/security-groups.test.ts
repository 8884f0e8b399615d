import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectHttpError } from '../../../contract/suite/expect-error.js';
import { member, neutronCloud } from './helpers.js';

const shape = (rules: readonly { direction: string; ethertype: string; remoteGroupId: string | null }[], self: string) =>
  rules.map((r) => `${r.direction}/${r.ethertype}/${r.remoteGroupId === self ? 'self' : r.remoteGroupId === null ? '-' : r.remoteGroupId}`).sort();

describe('simulated Neutron: security groups', () => {
  for (const label of ['havana:neutron', 'modern:neutron'] as const) {
    it(`${label}: every project gets a default group on first use (egress anywhere, ingress from itself), kept after the project is gone`, async () => {
      const t = await neutronCloud(label);
      try {
        const m = await member(t, 'acme');
        assert.equal(t.cloud.store.securityGroups.filter((g) => g.projectId === m.projectId).length, 0, 'nothing before the first use');
        await m.neutron.networks.list();
        assert.equal(t.cloud.store.securityGroups.filter((g) => g.projectId === m.projectId).length, 0, 'listing networks is not a use');
        const groups = await m.neutron.securityGroups.list();
        assert.deepEqual(groups.map((g) => [g.name, g.tenantId]), [['default', m.projectId]]);
        const def = groups[0]!;
        assert.equal(def.description, 'Default security group');
        assert.deepEqual(shape(def.rules, def.id), ['egress/IPv4/-', 'egress/IPv6/-', 'ingress/IPv4/self', 'ingress/IPv6/self']);
        assert.equal((await m.neutron.securityGroups.list()).length, 1, 'made once');

        // an admin listing for another project makes that project's group; a network create makes its owner's
        const other = t.cloud.store.identity.projects.insert({ id: t.cloud.store.ids.hex(), name: 'other', domainId: 'default', description: '', enabled: true, parentId: null, tags: [], extra: undefined });
        assert.deepEqual((await t.neutron.securityGroups.list({ tenant_id: other.id })).map((g) => g.name), ['default']);
        const third = t.cloud.store.identity.projects.insert({ id: t.cloud.store.ids.hex(), name: 'third', domainId: 'default', description: '', enabled: true, parentId: null, tags: [], extra: undefined });
        await t.neutron.networks.create({ name: 'for-third', tenantId: third.id });
        assert.equal(t.cloud.store.securityGroups.filter((g) => g.projectId === third.id && g.name === 'default').length, 1);

        // the project goes, its default group stays (DESIGN §8)
        await t.admin.identity.projects.delete(other.id);
        assert.deepEqual((await t.neutron.securityGroups.list({ tenant_id: other.id })).map((g) => g.name), ['default']);

        await expectHttpError(m.neutron.securityGroups.create({ name: 'default' }), { status: 409, service: 'network', cloud: 'acme', faultType: 'SecurityGroupDefaultAlreadyExists' });
        await expectHttpError(m.neutron.securityGroups.delete(def.id), { status: 409, service: 'network', cloud: 'acme', faultType: 'SecurityGroupCannotRemoveDefault' });
        await m.cloud.close();
      } finally {
        await t.close();
      }
    });

    it(`${label}: groups get egress rules; rules (ports, ICMP, remote group, prefix) with duplicates 409, bad input 400; in-use group 409; delete cascades remote-group rules`, async () => {
      const t = await neutronCloud(label);
      const modern = label === 'modern:neutron';
      try {
        const web = await t.neutron.securityGroups.create({ name: 'web', description: 'web servers' });
        assert.deepEqual(shape(web.rules, web.id), ['egress/IPv4/-', 'egress/IPv6/-']);
        assert.equal(web.description, 'web servers');
        const ssh = await t.neutron.securityGroupRules.create({ securityGroupId: web.id, direction: 'ingress', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: '0.0.0.0/0' });
        assert.deepEqual([ssh.ethertype, ssh.protocol, ssh.portRangeMin, ssh.portRangeMax, ssh.remoteIpPrefix, ssh.remoteGroupId], ['IPv4', 'tcp', 22, 22, '0.0.0.0/0', null]);
        const dup = await expectHttpError(
          t.neutron.securityGroupRules.create({ securityGroupId: web.id, direction: 'ingress', protocol: '6', portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: '0.0.0.0/0' }),
          { status: 409, service: 'network', cloud: label, faultType: 'SecurityGroupRuleExists' },
        );
        assert.equal(dup.cloudMessage, `Security group rule already exists. Rule id is ${ssh.id}.`);
        await expectHttpError(t.neutron.securityGroupRules.create({ securityGroupId: web.id, direction: 'egress' }), { status: 409, service: 'network', cloud: label, faultType: 'SecurityGroupRuleExists' });
        const db = await t.neutron.securityGroups.create({ name: 'db' });
        const fromWeb = await t.neutron.securityGroupRules.create({ securityGroupId: db.id, direction: 'ingress', protocol: 'tcp', portRangeMin: 3306, portRangeMax: 3306, remoteGroupId: web.id });
        assert.equal(fromWeb.remoteGroupId, web.id);
        const icmp = await t.neutron.securityGroupRules.create({ securityGroupId: web.id, direction: 'ingress', protocol: 'icmp', portRangeMin: 8, portRangeMax: 0 });
        assert.deepEqual([icmp.portRangeMin, icmp.portRangeMax], [8, 0]);
        for (const [body, type] of [
          [{ direction: 'sideways' }, 'HTTPBadRequest'],
          [{ direction: 'ingress', protocol: 'tcp', port_range_min: 30, port_range_max: 20 }, 'SecurityGroupInvalidPortRange'],
          [{ direction: 'ingress', port_range_min: 30, port_range_max: 30 }, 'SecurityGroupProtocolRequiredWithPorts'],
          [{ direction: 'ingress', protocol: 'tcp', remote_ip_prefix: '::/0' }, 'SecurityGroupRuleParameterConflict'],
          [{ direction: 'ingress', remote_ip_prefix: '0.0.0.0/0', remote_group_id: web.id }, 'SecurityGroupMultipleRemoteEntites'],
          [{ direction: 'ingress', protocol: 'bogus' }, 'SecurityGroupRuleInvalidProtocol'],
        ] as const) {
          const r = await t.raw('POST', '/security-group-rules', { security_group_rule: { security_group_id: web.id, ...body } });
          assert.deepEqual([r.status, r.body.NeutronError.type], [400, type], JSON.stringify(body));
        }
        assert.equal((await t.neutron.securityGroupRules.list({ security_group_id: web.id })).length, 4);
        const raw = (await t.raw('GET', `/security-groups/${web.id}`)).body.security_group;
        assert.equal('stateful' in raw, modern);
        assert.equal('standard_attr_id' in raw.security_group_rules[0], modern, 'Zed shows standard_attr_id on embedded rules');
        const rule = (await t.raw('GET', `/security-group-rules/${ssh.id}`)).body.security_group_rule;
        assert.equal(rule.normalized_cidr, modern ? '0.0.0.0/0' : undefined);

        const n = await t.neutron.networks.create({ name: 'n' });
        await t.neutron.subnets.create({ networkId: n.id, cidr: '10.11.0.0/24' });
        const p = await t.neutron.ports.create({ networkId: n.id, securityGroupIds: [web.id] });
        assert.deepEqual(p.securityGroupIds, [web.id]);
        const inUse = await expectHttpError(t.neutron.securityGroups.delete(web.id), { status: 409, service: 'network', cloud: label, faultType: 'SecurityGroupInUse' });
        assert.equal(inUse.cloudMessage, `Security Group ${web.id} in use.`);
        await t.neutron.ports.delete(p.id);
        await t.neutron.securityGroups.delete(web.id);
        await expectHttpError(t.neutron.securityGroupRules.get(fromWeb.id), { status: 404, service: 'network', cloud: label, faultType: 'SecurityGroupRuleNotFound' });
        await expectHttpError(t.neutron.securityGroups.get(web.id), { status: 404, service: 'network', cloud: label, faultType: 'SecurityGroupNotFound' });
        await t.neutron.securityGroupRules.delete(icmp.id).catch(() => undefined);
        await expectHttpError(t.neutron.securityGroupRules.delete(ssh.id), { status: 404, service: 'network', cloud: label, faultType: 'SecurityGroupRuleNotFound' });
        assert.equal((await t.neutron.securityGroups.update(db.id, { name: 'database' })).name, 'database');
        await expectHttpError(t.neutron.securityGroups.update(db.id, { name: 'default' }), { status: 409, service: 'network', cloud: label });
      } finally {
        await t.close();
      }
    });
  }
});
