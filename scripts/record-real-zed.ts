/**
 * Records what the real OpenStack Zed testbed answers to every call the contract suite
 * makes, as fidelity fixtures for the simulator (test/fixtures/real-zed/<service>.json):
 * status codes, the key structure of request and response bodies with value types,
 * the headers that matter, error body shapes. No values, ids, names, tokens or secrets.
 *
 *   node --import tsx scripts/record-real-zed.ts [--clouds FILE] [--cloud source] [--out DIR]
 *
 * The contract suite runs once through a recording proxy (about a minute); the fixtures
 * are written only when every test passed (else the suite's output is shown).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { targetsFromFile } from '../test/contract/targets/from-file.js';
import { recordSuite } from '../test/contract/recording/record-suite.js';
import { findLeaks } from '../test/contract/recording/leaks.js';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const cloudsFile = option('clouds', '/var/tmp/pumphouse-testbed/clouds.yaml');
const cloudName = option('cloud', 'source');
const outDir = resolve(root, option('out', 'test/fixtures/real-zed'));

const [target] = await targetsFromFile(cloudsFile, { only: [cloudName] });
if (!target) throw new Error(`${cloudsFile} has no cloud named ${cloudName}`);
const started = Date.now();
const result = await recordSuite(target.credentials, { cwd: root, name: 'zed' });
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (result.suiteStatus !== 0) {
  process.stdout.write(result.suiteOutput);
  process.stderr.write(`record-real-zed: the contract suite failed through the proxy (exit ${result.suiteStatus}); no fixtures written\n`);
  process.exit(1);
}
const files = result.fixtures.map((f) => ({ name: `${f.service}.json`, text: `${JSON.stringify(f, null, 2)}\n` }));
const index = {
  recorded_from: 'pumphouse testbed: OpenStack Zed (Debian bookworm packages), one cloud, admin credentials',
  how: 'node --import tsx scripts/record-real-zed.ts (the contract suite through a recording proxy)',
  services: Object.fromEntries(result.fixtures.map((f) => [f.service, Object.keys(f.endpoints).length])),
};
files.push({ name: 'index.json', text: `${JSON.stringify(index, null, 2)}\n` });
const leaks = files.flatMap((f) => findLeaks(f.text, result.secrets).map((l) => `${f.name}: ${l}`));
if (leaks.length > 0) {
  process.stderr.write(`record-real-zed: refusing to write fixtures holding volatile or secret values:\n  ${leaks.join('\n  ')}\n`);
  process.exit(1);
}
await mkdir(outDir, { recursive: true });
for (const f of files) await writeFile(join(outDir, f.name), f.text);
process.stdout.write(`record-real-zed: ${result.exchanges.length} exchanges in ${seconds} s -> ${files.map((f) => f.name).join(', ')} in ${outDir}\n`);
