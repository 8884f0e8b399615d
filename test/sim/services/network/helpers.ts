import { openCloud, type Cloud, type NetworkClient } from '../../../../src/openstack/index.js';
import type { CloudSpec, SimCloud } from '../../../../src/sim/index.js';
import { startSimCloud } from '../../../../src/sim/index.js';
import { call, loginV3, memberLogin, type Answer } from '../../helpers.js';

/** The Neutron profiles. */
export const NEUTRON_PROFILES = ['havana:neutron', 'icehouse:neutron', 'juno:neutron', 'modern:neutron'] as const;
export const LEGACY_NEUTRON = ['havana:neutron', 'icehouse:neutron', 'juno:neutron'] as const;

export interface NeutronTest {
  readonly label: string;
  readonly cloud: SimCloud;
  /** The admin's cloud (project `admin`), opened by `openCloud` as the tool does. */
  readonly admin: Cloud;
  readonly neutron: NetworkClient;
  /** An admin token for raw calls. */
  readonly token: string;
  /** `http://127.0.0.1:PORT/network/v2.0`. */
  readonly api: string;
  /** A raw call below `/v2.0` with the admin token (or another). */
  raw(method: string, path: string, body?: unknown, token?: string): Promise<Answer>;
  /** The external network the cloud starts with (`public`). */
  external(): Promise<{ readonly id: string; readonly subnetId: string }>;
  close(): Promise<void>;
}

/** A simulated cloud of `label` with the admin logged in through the project's clients. */
export async function neutronCloud(label: string, spec: Partial<CloudSpec> = {}): Promise<NeutronTest> {
  const [release, ...rest] = label.split(':');
  const cloud = await startSimCloud({ release: release as CloudSpec['release'], network: rest.join(':') as CloudSpec['network'], hashCost: 'fast', ...spec }, { knobs: { timeScale: 0 } });
  const admin = await openCloud({ authUrl: cloud.authUrl, username: 'admin', password: 'admin', projectName: 'admin' }, { name: label, retry: { attempts: 1 } });
  const neutron = admin.network;
  if (!neutron) throw new Error(`${label}: no Neutron in the catalog`);
  const { id: token } = await loginV3(cloud);
  const api = `${cloud.url}/network/v2.0`;
  return {
    label,
    cloud,
    admin,
    neutron,
    token,
    api,
    raw: (method, path, body, tok) => call(method, `${api}${path}`, { token: tok ?? token, ...(body !== undefined ? { body } : {}) }),
    external: async () => {
      const n = (await neutron.networks.list({ 'router:external': true }))[0];
      if (!n || !n.subnetIds[0]) throw new Error('no external network');
      return { id: n.id, subnetId: n.subnetIds[0] };
    },
    close: async () => {
      await admin.close();
      await cloud.close();
    },
  };
}

export interface Member {
  readonly projectId: string;
  readonly cloud: Cloud;
  readonly neutron: NetworkClient;
  readonly token: string;
}

/** A new project with a member user (no admin role), logged in through the clients. */
export async function member(t: NeutronTest, name: string): Promise<Member> {
  const { projectId, cloud, token } = await memberLogin(t.cloud, name);
  const neutron = cloud.network;
  if (!neutron) throw new Error('no Neutron for the member');
  return { projectId, cloud, neutron, token };
}
