#!/usr/bin/env node
// Runs the node test runner (through tsx) over every *.test.ts below the given folders.
// `--config FILE` is handed to the contract suite through PUMPHOUSE_CONTRACT_CONFIG.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const roots = [];
const env = { ...process.env };
const passthrough = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--config') env.PUMPHOUSE_CONTRACT_CONFIG = resolve(args[++i]);
  else if (a.startsWith('--')) passthrough.push(a);
  else roots.push(a);
}
const files = [];
const walk = (p) => {
  const st = statSync(p);
  if (st.isDirectory()) for (const e of readdirSync(p).sort()) walk(join(p, e));
  else if (p.endsWith('.test.ts')) files.push(p);
};
for (const r of roots.length ? roots : ['test']) walk(r);
if (files.length === 0) {
  console.error(`no test files under ${roots.join(' ')}`);
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000', ...passthrough, ...files],
  { stdio: 'inherit', env },
);
process.exit(r.status ?? 1);
