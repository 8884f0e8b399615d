// readDetails' quota reads over stub clients: which calls are made for Neutron when its list
// of projects' quotas answers, when it is refused, and for a single project.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { withGrants } from '../../src/discovery/cloud-discovery.js';
import { assignmentsInScope, readDetails, readQuotas } from '../../src/discovery/details.js';
import { DiscoveryProgress } from '../../src/discovery/progress.js';
import type { ReadOnlyCloud } from '../../src/discovery/read-only.js';
import type { Survey } from '../../src/discovery/survey.js';
import { PumphouseError } from '../../src/errors/index.js';
import { CloudHttpError } from '../../src/openstack/index.js';

const DEFAULTS = { network: 100, port: 500 };

function stubCloud(listing: 'answers' | 'refused' | 'fails'): { cloud: ReadOnlyCloud; calls: string[] } {
  const calls: string[] = [];
  const own = new Map([['p2', { network: 5, port: 50 }]]);
  const error = (status: number) =>
    new CloudHttpError({ cloud: 'source', service: 'network', method: 'GET', path: '/v2.0/quotas', requestId: undefined, ambiguous: false, status, cloudMessage: 'no', faultType: undefined });
  const cloud = {
    session: { userId: 'admin' },
    compute: {
      quotas: { get: async (p: string) => (calls.push(`nova ${p}`), { instances: 10 }) },
      keypairs: { canActForOtherUsers: true, list: async () => [] },
      flavors: { listAccess: async () => [] },
    },
    volume: undefined,
    network: {
      quotas: {
        list: async () => {
          calls.push('neutron list');
          if (listing === 'refused') throw error(404);
          if (listing === 'fails') throw error(500);
          return [...own].map(([projectId, quota]) => ({ projectId, quota }));
        },
        get: async (p: string) => (calls.push(`neutron ${p}`), own.get(p) ?? DEFAULTS),
      },
    },
  } as unknown as ReadOnlyCloud;
  return { cloud, calls };
}

const survey = { flavors: [] } as unknown as Survey;
const scope = (...ids: string[]) => ({ projectIds: new Set(ids), userIds: new Set<string>() });
const progress = new DiscoveryProgress(undefined, 'source', () => 0);

describe('Neutron quotas of the projects in scope', () => {
  test('the list answers: one list and one read of the defaults, whatever the number of projects', async () => {
    const { cloud, calls } = stubCloud('answers');
    const d = await readDetails(cloud, survey, scope('p1', 'p2', 'p3', 'p4'), progress, { concurrency: 2 });
    assert.deepEqual(calls.filter((c) => c.startsWith('neutron')), ['neutron list', 'neutron p1']);
    assert.deepEqual(Object.fromEntries(d.quotas.map((q) => [q.projectId, q.network])), { p1: DEFAULTS, p2: { network: 5, port: 50 }, p3: DEFAULTS, p4: DEFAULTS });
    assert.equal(calls.filter((c) => c.startsWith('nova')).length, 4, 'Nova has no list: one read each');
  });

  test('a single project in scope: read directly, no list', async () => {
    const { cloud, calls } = stubCloud('answers');
    const d = await readDetails(cloud, survey, scope('p2'), progress, { concurrency: 2 });
    assert.deepEqual(calls.filter((c) => c.startsWith('neutron')), ['neutron p2']);
    assert.deepEqual(d.quotas[0]?.network, { network: 5, port: 50 });
  });

  test('the list is refused (a Neutron without the quota table): one read per project', async () => {
    const { cloud, calls } = stubCloud('refused');
    const d = await readDetails(cloud, survey, scope('p1', 'p2', 'p3'), progress, { concurrency: 2 });
    assert.deepEqual(calls.filter((c) => c.startsWith('neutron')).sort(), ['neutron list', 'neutron p1', 'neutron p2', 'neutron p3']);
    assert.deepEqual(d.quotas.find((q) => q.projectId === 'p2')?.network, { network: 5, port: 50 });
  });

  test('any other failure of the list is an error, not a silent fallback', async () => {
    const { cloud } = stubCloud('fails');
    await assert.rejects(readDetails(cloud, survey, scope('p1', 'p2'), progress, { concurrency: 2 }), (e: unknown) => e instanceof CloudHttpError && e.status === 500);
  });
});

describe('Keystone v2.0 role assignments of the projects in scope', () => {
  const grants = [
    { userId: 'u1', projectId: 'p1', roleId: 'r' },
    { userId: 'u2', projectId: 'p2', roleId: 'r' },
    { userId: 'u3', projectId: 'p9', roleId: 'r' },
  ];
  function identity(unfiltered: readonly typeof grants[number][]): { cloud: ReadOnlyCloud; calls: string[] } {
    const calls: string[] = [];
    const list = async (f: { projectId?: string } = {}) => {
      calls.push(f.projectId ? `list ${f.projectId}` : 'list all');
      return f.projectId ? grants.filter((g) => g.projectId === f.projectId) : [...unfiltered];
    };
    const withOthers = async (f: { projectId?: string } = {}) => ({ direct: await list(f), others: [] });
    return { cloud: { identity: { roleAssignments: { list, grants: withOthers } } } as unknown as ReadOnlyCloud, calls };
  }
  const projects = (n: number) => ({ assignments: null, projects: Array.from({ length: n }, (_, i) => ({ id: `p${i + 1}` })) }) as unknown as Survey;

  test('most projects in scope: one unfiltered list, kept to the scope', async () => {
    const { cloud, calls } = identity(grants);
    const got = await assignmentsInScope(cloud, projects(3), new Set(['p1', 'p2']), { concurrency: 2 });
    assert.deepEqual(calls, ['list all']);
    assert.deepEqual(got.map((a) => a.projectId).sort(), ['p1', 'p2']);
  });

  test('a project in scope the list does not name (a cut list) is asked on its own', async () => {
    const { cloud, calls } = identity(grants.slice(0, 1));
    const got = await assignmentsInScope(cloud, projects(3), new Set(['p1', 'p2']), { concurrency: 2 });
    assert.deepEqual(calls, ['list all', 'list p2']);
    assert.deepEqual(got.map((a) => a.userId).sort(), ['u1', 'u2']);
  });

  test('an unfiltered list Keystone cut (PH_LIST_TRUNCATED) gives way to one list per project in scope', async () => {
    const calls: string[] = [];
    const list = async (f: { projectId?: string } = {}) => {
      calls.push(f.projectId ? `list ${f.projectId}` : 'list all');
      if (!f.projectId) throw new PumphouseError('PH_LIST_TRUNCATED', 'cut');
      return grants.filter((g) => g.projectId === f.projectId);
    };
    const group = { holder: 'group' as const, holderId: 'g1', roleId: 'r', scope: 'project' as const, scopeId: 'p2', inherited: false };
    const perProject = async (f: { projectId?: string } = {}) => ({ direct: await list(f), others: f.projectId === 'p2' ? [group] : [] });
    const cloud = { identity: { roleAssignments: { list, grants: perProject } } } as unknown as ReadOnlyCloud;
    const others: unknown[] = [];
    const got = await assignmentsInScope(cloud, projects(3), new Set(['p1', 'p2']), { concurrency: 2 }, others as never);
    assert.deepEqual(calls.sort(), ['list all', 'list p1', 'list p2']);
    // A group's grant the per-project reads give is kept for the plan's warnings, as the survey's whole list would.
    assert.deepEqual(others, [group]);
    assert.deepEqual(got.map((a) => a.userId).sort(), ['u1', 'u2']);
    calls.length = 0;
    // After the survey's v3 list was cut, the whole list is not asked for again.
    await assignmentsInScope(cloud, { ...projects(3), assignmentsCut: true } as Survey, new Set(['p1', 'p2']), { concurrency: 2 });
    assert.deepEqual(calls.sort(), ['list p1', 'list p2']);
  });

  test('few projects in scope: per project', async () => {
    const { cloud, calls } = identity(grants);
    await assignmentsInScope(cloud, projects(10), new Set(['p1', 'p2']), { concurrency: 2 });
    assert.deepEqual(calls.sort(), ['list p1', 'list p2']);
  });
});

describe('Nova and Cinder quota reads, a queue per service', () => {
  function twoServices(nova: (p: string) => Promise<unknown>, cinder: (p: string) => Promise<unknown>): { cloud: ReadOnlyCloud; calls: string[] } {
    const calls: string[] = [];
    const cloud = {
      compute: { quotas: { get: (p: string) => (calls.push(`nova ${p}`), nova(p)) } },
      volume: { quotas: { get: (p: string) => (calls.push(`cinder ${p}`), cinder(p)) } },
      network: undefined,
    } as unknown as ReadOnlyCloud;
    return { cloud, calls };
  }

  test("a slow Cinder read does not hold the next project's Nova read (concurrency 1)", async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((r) => (release = r));
    const { cloud, calls } = twoServices(
      async (p) => {
        if (p === 'p3') release();
        return { instances: Number(p.slice(1)) };
      },
      async (p) => {
        // p1's Cinder read answers only once Nova was asked for p3 (or after 2 s, to fail rather than hang).
        if (p === 'p1') await Promise.race([held, new Promise((r) => setTimeout(r, 2000))]);
        return { volumes: Number(p.slice(1)) };
      },
    );
    const quotas = await readQuotas(cloud, { projectIds: new Set(['p3', 'p1', 'p2']) }, { concurrency: 1 });
    assert.ok(calls.indexOf('nova p3') < calls.indexOf('cinder p2'), `Nova went on while Cinder was busy: ${calls.join(', ')}`);
    assert.deepEqual(quotas, ['p1', 'p2', 'p3'].map((p, i) => ({ projectId: p, compute: { instances: i + 1 }, volume: { volumes: i + 1 }, network: null })));
    assert.equal(calls.length, 6);
  });

  test('the first failure stops both queues: no new reads after it', async () => {
    const { cloud, calls } = twoServices(
      async (p) => {
        if (p === 'p2') throw new Error('nova down');
        return {};
      },
      async () => {
        await new Promise((r) => setTimeout(r, 5));
        return {};
      },
    );
    const ids = new Set(Array.from({ length: 20 }, (_, i) => `p${i + 1}`));
    await assert.rejects(readQuotas(cloud, { projectIds: ids }, { concurrency: 1 }), /nova down/);
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(calls.filter((c) => c.startsWith('cinder')).length <= 3, calls.join(', '));
  });
});

describe('flavor access', () => {
  test('a private flavor deleted between the flavor list and its access read (404) has no access and a note; others are read', async () => {
    const gone = new CloudHttpError({ cloud: 'source', service: 'compute', method: 'GET', path: '/flavors/f2/os-flavor-access', requestId: undefined, ambiguous: false, status: 404, cloudMessage: 'Flavor f2 could not be found.', faultType: 'itemNotFound' });
    const { cloud } = stubCloud('answers');
    (cloud.compute as unknown as { flavors: unknown }).flavors = { listAccess: async (id: string) => (id === 'f2' ? Promise.reject(gone) : ['p1']) };
    const flavors = { flavors: [{ id: 'f1', name: 'gold', isPublic: false }, { id: 'f2', name: 'silver', isPublic: false }, { id: 'f3', name: 'm1.tiny', isPublic: true }] } as unknown as Survey;
    const d = await readDetails(cloud, flavors, scope('p1'), progress, { concurrency: 2 });
    assert.deepEqual([...d.flavorAccess], [['f1', ['p1']], ['f2', []]]);
    assert.deepEqual(d.notes.map((n) => n.summary), ["flavor 'silver' (f2) was deleted while discovery ran: it is taken as listed, with no access"]);
  });

  test('another failure still fails the discovery', async () => {
    const broken = new CloudHttpError({ cloud: 'source', service: 'compute', method: 'GET', path: '/flavors/f1/os-flavor-access', requestId: undefined, ambiguous: false, status: 500, cloudMessage: 'boom', faultType: undefined });
    const { cloud } = stubCloud('answers');
    (cloud.compute as unknown as { flavors: unknown }).flavors = { listAccess: async () => Promise.reject(broken) };
    const flavors = { flavors: [{ id: 'f1', name: 'gold', isPublic: false }] } as unknown as Survey;
    await assert.rejects(readDetails(cloud, flavors, scope('p1'), progress, { concurrency: 2 }), (e: unknown) => e === broken);
  });
});

describe('Nova quotas of a project deleted while discovery runs', () => {
  const invalid = new CloudHttpError({ cloud: 'source', service: 'compute', method: 'GET', path: '/os-quota-sets/p2', requestId: undefined, ambiguous: false, status: 400, cloudMessage: 'Project ID p2 is not a valid project.', faultType: 'badRequest' });
  const notFound = new CloudHttpError({ cloud: 'source', service: 'identity', method: 'GET', path: '/v3/projects/p2', requestId: undefined, ambiguous: false, status: 404, cloudMessage: 'Could not find project: p2.', faultType: undefined });
  const withNova = (projectExists: boolean) => {
    const { cloud } = stubCloud('answers');
    (cloud.compute as unknown as { quotas: unknown }).quotas = { get: async (p: string) => (p === 'p2' ? Promise.reject(invalid) : { instances: 10 }) };
    (cloud as unknown as { identity: unknown }).identity = { projects: { get: async (p: string) => (projectExists ? { id: p } : Promise.reject(notFound)) } };
    return cloud;
  };

  test('Nova\'s 400 for a project Keystone no longer has: no quotas for it, a note, the others read', async () => {
    const d = await readDetails(withNova(false), survey, scope('p1', 'p2', 'p3'), progress, { concurrency: 2 });
    assert.deepEqual(d.quotas.map((q) => q.projectId), ['p1', 'p3']);
    assert.deepEqual(d.notes.map((n) => n.summary), ['project p2 was deleted while discovery ran: it is taken as listed, without quotas']);
  });

  test('the same 400 for a project Keystone still has is the error it is', async () => {
    await assert.rejects(readDetails(withNova(true), survey, scope('p1', 'p2', 'p3'), progress, { concurrency: 2 }), (e: unknown) => e === invalid);
  });
});

describe('grants left behind, from the survey and the per-project reads', () => {
  test('each grant once: the per-project reads add what the survey did not hold', () => {
    const g = (holderId: string, scopeId: string, inherited = false) => ({ holder: 'group' as const, holderId, roleId: 'r', scope: 'project' as const, scopeId, inherited });
    assert.deepEqual(withGrants([g('g1', 'p1')], [g('g1', 'p1'), g('g2', 'p1'), g('g1', 'p1', true), g('g2', 'p1')]), [g('g1', 'p1'), g('g2', 'p1'), g('g1', 'p1', true)]);
    assert.deepEqual(withGrants([], []), []);
  });
});
