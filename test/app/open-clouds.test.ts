import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadInputs, openClouds, startClouds } from '../../src/app/index.js';
import { loadConfig, type PumphouseConfig } from '../../src/config/index.js';
import { rejection } from '../support/rejection.js';
import { planBench, type PlanBench } from './plan-fixtures.js';

describe('startClouds: the logins begin before the manifest is read', () => {
  let bench: PlanBench;
  let config: PumphouseConfig;
  before(async () => {
    bench = await planBench();
    config = await loadConfig(bench.config);
  });
  after(() => bench.close());

  /** Waits (up to 10 s: the machine may be loaded) until `done()`; the test then checks it. */
  const until = async (done: () => boolean): Promise<void> => {
    for (let waited = 0; !done() && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  };
  const tokens = (): number => bench.src.hits('POST', /\/identity\/v2\.0\/tokens$/).length + bench.dst.hits('POST', /\/identity\/v3\/auth\/tokens$/).length;

  test('the logins are sent before open(), which gives the clouds openClouds gives', async () => {
    const sent = tokens();
    const started = startClouds(config);
    await until(() => tokens() === sent + 2);
    assert.equal(tokens(), sent + 2, 'both logins went out before open()');
    const clouds = await started.open({ fuel: false });
    try {
      assert.equal(clouds.source.capabilities.identityVersion, '2.0');
      assert.equal(clouds.destination.capabilities.identityVersion, '3');
      assert.equal(clouds.fuel, undefined);
    } finally {
      await clouds.close();
    }
    const same = await openClouds(config);
    await same.close();
  });

  test('abandon() closes what opened and never throws; a login that fails surfaces only at open()', async () => {
    await startClouds(config).abandon();
    const wrong: PumphouseConfig = { ...config, source: { ...config.source!, credentials: { ...config.source!.credentials, password: 'not-the-password' } } };
    const sent = tokens();
    const started = startClouds(wrong);
    await until(() => tokens() === sent + 2);
    const err = await rejection(started.open({}));
    assert.equal(err.code, 'PH_AUTH_FAILED');
    await startClouds(wrong).abandon();
  });

  test('a config without a destination starts nothing; open() throws its PH_CONFIG_INVALID', async () => {
    const sent = tokens();
    const { destination: _none, ...half } = config;
    const started = startClouds(half as PumphouseConfig);
    const err = await rejection(started.open({}));
    assert.equal(err.code, 'PH_CONFIG_INVALID');
    assert.match(err.message, /no destination cloud/);
    await started.abandon();
    assert.equal(tokens(), sent);
  });

  test('loadInputs calls onConfig with the config before a bad manifest fails, and not for a bad config', async () => {
    const bad = join(bench.dir, 'bad-manifest.yaml');
    await writeFile(bad, 'version: 1\ntenants:\n  - nme: acme\n');
    const seen: PumphouseConfig[] = [];
    const err = await rejection(loadInputs(bench.config, bad, {}, (c) => seen.push(c)));
    assert.equal(err.code, 'PH_MANIFEST_INVALID');
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.file, bench.config);
    const badConfig = join(bench.dir, 'bad-config.yaml');
    await writeFile(badConfig, 'CLOUDS: [\n');
    const err2 = await rejection(loadInputs(badConfig, bench.manifest, {}, (c) => seen.push(c)));
    assert.equal(err2.code, 'PH_CONFIG_INVALID');
    assert.equal(seen.length, 1);
  });
});
