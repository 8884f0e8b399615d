import { ComputeClient, NovaNetworkClient, Session } from '../../../../src/openstack/index.js';
import { generatedImage } from '../../../../src/sim/generator/images.js';
import { tenantNetwork } from '../../../../src/sim/generator/network.js';
import type { CloudSpec, ImageRecord, SimCloud, SimKnobs } from '../../../../src/sim/index.js';
import { startSimCloud } from '../../../../src/sim/index.js';
import { loginV3, memberOf } from '../../helpers.js';

/** The profiles Nova is simulated for. */
export const PROFILES = [
  'havana:nova-network:flatdhcp',
  'havana:neutron',
  'icehouse:nova-network:vlan',
  'icehouse:neutron',
  'juno:nova-network:flatdhcp',
  'juno:nova-network:vlan',
  'juno:neutron',
  'modern:neutron',
] as const;

export interface NovaTest {
  readonly cloud: SimCloud;
  /** The cloud admin's session (project `admin`). */
  readonly session: Session;
  readonly nova: ComputeClient;
  /** nova-network's client (every profile: on Neutron clouds it reaches Nova's proxies). */
  readonly nn: NovaNetworkClient;
  /** An active public image to boot from. */
  readonly image: ImageRecord;
  /** An admin token (project `admin`) for raw calls. */
  readonly token: string;
  /** `http://127.0.0.1:PORT/compute/v2/<admin project>` or `.../v2.1`: the catalog's compute URL. */
  readonly computeUrl: string;
  /** What to pass as `networks` to boot in the admin project (a Neutron network on Neutron profiles). */
  readonly networks: Array<{ uuid: string }> | undefined;
  close(): Promise<void>;
}

/** Every transition waits an hour unless the test runs it with `cloud.flush()`: intermediate states are observable without races. */
export const HELD: Partial<SimKnobs> = { timeScale: 1, buildMs: 3_600_000, actionMs: 3_600_000, migrationMs: 3_600_000, deleteMs: 3_600_000, snapshotMs: 3_600_000, imageSaveMs: 3_600_000, volumeCreateMs: 3_600_000 };

/** One simulated cloud whose transitions run when the test flushes the clock, logged in as admin through the project's clients. */
export async function novaCloud(label: string, opts: { readonly knobs?: Partial<SimKnobs>; readonly spec?: Partial<CloudSpec> } = {}): Promise<NovaTest> {
  const [release, ...rest] = label.split(':');
  const cloud = await startSimCloud(
    { release: release as CloudSpec['release'], network: rest.join(':') as CloudSpec['network'], hashCost: 'fast', ...opts.spec },
    { knobs: { ...HELD, ...opts.knobs } },
  );
  const session = await Session.login({ authUrl: cloud.authUrl, username: 'admin', password: 'admin', projectName: 'admin' }, { name: label, retry: { attempts: 1 } });
  const nova = await ComputeClient.open(session);
  const image = await generatedImage(cloud.store, { name: 'cirros', projectId: cloud.admin.projectId, visibility: 'public', size: 4096 });
  let networks: Array<{ uuid: string }> | undefined;
  if (cloud.profile.neutron) {
    const net = tenantNetwork(cloud.store, cloud.admin.projectId, 'admin', 200);
    if (net.kind === 'neutron') networks = [{ uuid: net.network.id }];
  }
  const { id: token } = await loginV3(cloud);
  return {
    cloud,
    session,
    token,
    computeUrl: session.endpoint('compute'),
    nova,
    nn: new NovaNetworkClient(nova.api),
    image,
    networks,
    close: async () => {
      await session.close();
      await cloud.close();
    },
  };
}

/** A project with a member user; the admin also gets the admin role there (to act inside it). */
export async function tenant(t: NovaTest, name: string): Promise<{ readonly projectId: string; readonly userId: string; readonly user: Session; readonly nova: ComputeClient; readonly asAdmin: ComputeClient }> {
  const { identity } = t.cloud.store;
  const m = memberOf(t.cloud, name);
  identity.grant({ userId: t.cloud.admin.userId, roleId: identity.roleByName('admin')!.id, scope: { kind: 'project', id: m.projectId } });
  const userSession = await Session.login({ authUrl: t.cloud.authUrl, username: m.username, password: 'secret', projectName: name }, { name, retry: { attempts: 1 } });
  const scoped = await t.session.scopedTo(m.projectId);
  return { projectId: m.projectId, userId: m.userId, user: userSession, nova: new ComputeClient(userSession, t.nova.maxMicroversion), asAdmin: new ComputeClient(scoped, t.nova.maxMicroversion) };
}

/** Boots a server and runs its build. */
export async function bootActive(t: NovaTest, nova: ComputeClient, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { id } = await nova.servers.create({ name, flavorId: '1', imageId: t.image.id, ...(t.networks ? { networks: t.networks } : {}), ...extra });
  t.cloud.flush();
  return id;
}
