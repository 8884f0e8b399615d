import { imageClient, openCloud, VolumeClient, type Cloud, type ImageClient } from '../../../../src/openstack/index.js';
import type { CloudSpec, SimCloud, SimKnobs } from '../../../../src/sim/index.js';
import { startSimCloud } from '../../../../src/sim/index.js';
import { loginV3, rawCaller, type Answer } from '../../helpers.js';
import { tenant } from '../image/helpers.js';

export { tenant, digest } from '../image/helpers.js';

export interface CinderTest {
  readonly label: string;
  readonly cloud: SimCloud;
  readonly admin: Cloud;
  /** Cinder through the project's client, at `version`. */
  readonly cinder: VolumeClient;
  readonly glance: ImageClient;
  readonly token: string;
  /** `http://127.0.0.1:PORT/volume/v<N>/<admin project>`. */
  readonly api: string;
  raw(method: string, path: string, opts?: { body?: unknown; token?: string; headers?: Record<string, string> }): Promise<Answer>;
  close(): Promise<void>;
}

/**
 * A simulated cloud of `label` with Cinder `version` (v1 and v2 on legacy profiles, v3 on
 * modern) reached through the project's VolumeClient, as the tool would on such a catalog.
 */
export async function cinderCloud(label: string, version: '1' | '2' | '3', knobs: Partial<SimKnobs> = {}): Promise<CinderTest> {
  const [release, ...rest] = label.split(':');
  const spec: CloudSpec = { release: release as CloudSpec['release'], network: rest.join(':') as CloudSpec['network'], hashCost: 'fast' };
  const cloud = await startSimCloud(spec, { knobs: { timeScale: 0, ...knobs } });
  const admin = await openCloud({ authUrl: cloud.authUrl, username: 'admin', password: 'admin', projectName: 'admin' }, { name: label, retry: { attempts: 1 } });
  const api = `${cloud.url}/volume/v${version}/${cloud.admin.projectId}`;
  const cinder = new VolumeClient(admin.session, { type: version === '1' ? 'volume' : version === '2' ? 'volumev2' : 'volumev3', version, url: (s) => `${cloud.url}/volume/v${version}/${s.projectId ?? ''}` });
  const { id: token } = await loginV3(cloud);
  return {
    label,
    cloud,
    admin,
    cinder,
    glance: imageClient(admin.session, '2'),
    token,
    api,
    raw: rawCaller(api, token),
    close: async () => {
      await admin.close();
      await cloud.close();
    },
  };
}

/** The Cinder APIs of each kind of profile. */
export const CINDER_APIS: ReadonlyArray<readonly [label: string, version: '1' | '2' | '3']> = [
  ['havana:nova-network:flatdhcp', '1'],
  ['icehouse:neutron', '2'],
  ['juno:nova-network:vlan', '2'],
  ['modern:neutron', '3'],
];

export { tenant as member };
export type { Answer };
