// Two scripted clouds (the discovery tests' Juno source and Zed destination) and a config +
// manifests in a temp directory, for the plan facade and the plan command.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeCloud } from '../openstack/fake-cloud.js';
import { startWireCloud } from '../discovery/fixtures/wire-cloud.js';
import { junoSource } from '../discovery/fixtures/wire-juno.js';
import { zedDestination } from '../discovery/fixtures/wire-zed.js';

export interface PlanBench {
  readonly src: FakeCloud;
  readonly dst: FakeCloud;
  readonly dir: string;
  readonly config: string;
  /** Moves tenant acme. */
  readonly manifest: string;
  /** Moves nothing. */
  readonly emptyManifest: string;
  readonly state: string;
  close(): Promise<void>;
}

export function configText(src: { url: string; password: string }, dst: { url: string; password: string }): string {
  return [
    'CLOUDS:',
    '  source:',
    '    endpoint:',
    `      auth_url: ${src.url}/identity/v2.0`,
    '      username: admin',
    `      password: ${src.password}`,
    '      tenant_name: admin',
    '  destination:',
    '    endpoint:',
    `      auth_url: ${dst.url}/identity/v3`,
    '      username: admin',
    `      password: ${dst.password}`,
    '      project_name: admin',
    '',
  ].join('\n');
}

export async function planBench(): Promise<PlanBench> {
  const [src, dst] = await Promise.all([startWireCloud(junoSource()), startWireCloud(zedDestination())]);
  const dir = await mkdtemp(join(tmpdir(), 'pumphouse-plan-'));
  const config = join(dir, 'config.yaml');
  const manifest = join(dir, 'manifest.yaml');
  const emptyManifest = join(dir, 'empty.yaml');
  await writeFile(config, configText(src, dst));
  await writeFile(manifest, 'version: 1\ntenants:\n  - name: acme\nidentity:\n  passwords: reset\n');
  await writeFile(emptyManifest, 'version: 1\ntenants: []\n');
  return {
    src,
    dst,
    dir,
    config,
    manifest,
    emptyManifest,
    state: join(dir, 'state.json'),
    close: async () => {
      await Promise.all([src.close(), dst.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
