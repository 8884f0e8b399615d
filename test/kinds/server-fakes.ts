/**
 * In-memory stand-ins for the unit tests of the server kind's pure logic (quiesce book,
 * lent keypair): a Nova with power states and keypairs per user, and a StepContext whose
 * waits poll at once. HTTP behaviour is the real-testbed tests' business.
 */
import { MemoryReporter } from '../../src/events/index.js';
import { PumphouseError } from '../../src/errors/index.js';
import type { StepContext } from '../../src/kinds/contract.js';
import { dataKindSettings } from '../../src/kinds/image/index.js';
import type { DataStep } from '../../src/kinds/image/index.js';
import { CloudHttpError, type Cloud } from '../../src/openstack/index.js';
import type { Action } from '../../src/plan/index.js';
import type { Temporary } from '../../src/state/index.js';

const TRANSITION: Record<string, [string, string]> = {
  stop: ['ACTIVE', 'SHUTOFF'],
  suspend: ['ACTIVE', 'SUSPENDED'],
  start: ['SHUTOFF', 'ACTIVE'],
  resume: ['SUSPENDED', 'ACTIVE'],
  unpause: ['PAUSED', 'ACTIVE'],
};

function notFound(what: string): CloudHttpError {
  return new CloudHttpError({ status: 404, cloud: 'fake', service: 'compute', method: 'GET', path: what, requestId: undefined, cloudMessage: 'not found', faultType: undefined, ambiguous: false });
}

/** A fake Nova: servers with a status, the calls made, keypairs per user. */
export class FakeNova {
  readonly status = new Map<string, string>();
  readonly calls: string[] = [];
  readonly keypairs = new Map<string, { name: string; publicKey: string; userId: string }>();

  constructor(readonly sessionUser = 'admin-user') {}

  cloud(): Cloud {
    const self = this;
    const servers = {
      async get(id: string) {
        const status = self.status.get(id);
        if (!status) throw notFound(`/servers/${id}`);
        return { id, status, taskState: null, fault: null };
      },
      ...Object.fromEntries(
        Object.entries(TRANSITION).map(([verb, [from, to]]) => [
          verb,
          async (id: string) => {
            self.calls.push(`${verb} ${id}`);
            if (self.status.get(id) !== from) throw new PumphouseError('PH_CLOUD_HTTP', `cannot ${verb} a ${self.status.get(id)} server`);
            self.status.set(id, to);
          },
        ]),
      ),
    };
    const keypairs = {
      async get(name: string, owner: { userId?: string } = {}) {
        const k = self.keypairs.get(`${owner.userId ?? self.sessionUser}/${name}`);
        if (!k) throw notFound(`/os-keypairs/${name}`);
        return { ...k, fingerprint: 'fp', type: 'ssh' };
      },
      async create(input: { name: string; publicKey: string; userId?: string }) {
        const userId = input.userId ?? self.sessionUser;
        self.calls.push(`keypair create ${userId}/${input.name}`);
        self.keypairs.set(`${userId}/${input.name}`, { name: input.name, publicKey: input.publicKey, userId });
        return { name: input.name, publicKey: input.publicKey, userId, fingerprint: 'fp', type: 'ssh' };
      },
      async delete(name: string, owner: { userId?: string } = {}) {
        const key = `${owner.userId ?? self.sessionUser}/${name}`;
        self.calls.push(`keypair delete ${key}`);
        if (!self.keypairs.delete(key)) throw notFound(`/os-keypairs/${name}`);
      },
    };
    return { compute: { servers, keypairs }, session: { userId: self.sessionUser } } as unknown as Cloud;
  }
}

/** A DataStep over `cloud` (both sides) for `action`, with a journal of temporaries in memory. */
export function fakeStep(action: Partial<Action> & { id: string }, cloud: Cloud, reporter = new MemoryReporter()): DataStep & { temporaries: Temporary[] } {
  const temporaries: Temporary[] = [];
  const remembered: Record<string, unknown> = {};
  const full: Action = {
    address: `tenant[t].server[${action.id}]`,
    kind: 'server',
    action: 'migrate',
    reason: { code: 'missing_in_destination', text: 'test' },
    depends_on: [],
    preconditions: [],
    impact: { downtime: false, destructive: false, irreversible: false },
    steps: [],
    ...action,
  };
  const ctx = {
    planId: 'p',
    step: 'quiesce',
    marker: { sourceId: full.source?.id ?? full.id, kind: full.kind, planId: 'p' },
    clouds: { source: async () => cloud, destination: async () => cloud, scoped: async () => cloud, fuel: async () => ({}) },
    resolve: async () => null,
    resolveAfter: async () => ({}),
    get recorded() {
      return { destinationId: null, outputs: {}, stepsDone: [], remembered };
    },
    remember: async (facts: Record<string, unknown>) => void Object.assign(remembered, facts),
    temporaries: {
      record: async (t: { key: string; kind: string; cloud: 'source' | 'destination'; resourceId: string | null; details?: Record<string, unknown> }) => {
        const id = `${full.id}/${t.key}`;
        const i = temporaries.findIndex((x) => x.id === id);
        const rec: Temporary = { id, kind: t.kind, cloud: t.cloud, resource_id: t.resourceId, project_id: null, details: t.details ?? {}, address: full.address, plan_id: 'p', action_id: full.id, created_at: '' };
        if (i >= 0) temporaries[i] = rec;
        else temporaries.push(rec);
      },
      cleaned: async (key: string) => {
        const i = temporaries.findIndex((x) => x.id === `${full.id}/${key}`);
        if (i >= 0) temporaries.splice(i, 1);
      },
      list: () => temporaries,
    },
    progress: () => undefined,
    wait: async <T>(_what: string, poll: () => Promise<{ done: true; value: T } | { done: false; status: string }>) => {
      for (let i = 0; i < 50; i++) {
        const r = await poll();
        if (r.done) return r.value;
      }
      throw new PumphouseError('PH_TIMEOUT', 'fake wait');
    },
    reporter,
    signal: new AbortController().signal,
  } as unknown as StepContext;
  return { action: full, ctx, settings: dataKindSettings({ pollIntervalMs: 1 }), address: full.address, sourceId: ctx.marker.sourceId, temporaries };
}
