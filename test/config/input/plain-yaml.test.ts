import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import type { FieldPath } from '../../../src/config/input/field-path.js';
import { parsePlainYaml } from '../../../src/config/input/plain-yaml.js';
import { parseYamlDocument, parseYamlInput, type YamlInput } from '../../../src/config/input/yaml-input.js';
import { simManifestYaml } from '../../../src/sim/cli/files.js';
import { PumphouseError } from '../../../src/errors/index.js';

const OPTIONS = { what: 'manifest', notFound: 'PH_NOT_FOUND', invalid: 'PH_MANIFEST_INVALID' } as const;

/** Every path of a value, and paths that are not there (a missing key, an index past the end). */
function paths(v: unknown, at: FieldPath = []): FieldPath[] {
  const out: FieldPath[] = [at, [...at, 'missing'], [...at, 7]];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

function reference(text: string): YamlInput | PumphouseError {
  try {
    return parseYamlDocument('f.yaml', '/f.yaml', text, OPTIONS);
  } catch (err) {
    if (err instanceof PumphouseError) return err;
    throw err;
  }
}

/**
 * The plain reader either gives up, or gives what `yaml` gives: the same data, and the same
 * line and column for every path (keys and values, present or not).
 */
function same(text: string): 'read' | 'gave up' {
  const plain = parsePlainYaml(text);
  const ref = reference(text);
  if (!plain) return 'gave up';
  assert.ok(!(ref instanceof PumphouseError), `the plain reader read what yaml refuses: ${JSON.stringify(text)}: ${ref instanceof PumphouseError ? ref.problems[0]?.message : ''}`);
  assert.deepEqual(plain.data, ref.data, JSON.stringify(text));
  const got = parseYamlInput('f.yaml', '/f.yaml', text, OPTIONS);
  for (const p of paths(ref.data)) {
    for (const at of ['key', 'value'] as const) assert.deepEqual(got.locate(p, at), ref.locate(p, at), `${JSON.stringify(text)} ${JSON.stringify(p)} ${at}`);
  }
  return 'read';
}

const HANDWRITTEN = [
  'version: 1\ntenants:\n  - name: acme\n    servers:\n      - web-1\n      - {name: db}\n',
  '# leading comment\n\nversion: 1 # trailing\ntenants:\n- name: acme   \n  source_after: stop\n- id: 1234abcd\n\nhosts:\n  - name: node-1\n    roles:\n      - compute\n      - ceph-osd\n',
  'a:\nb: \nc: # k\nd:\n  - \n  -\n  - x\ne:   v  \n',
  "'quoted key': 'it''s'\n\"dq\": \"plain # not a comment\"\nplain: a#b\nurl: http://example.com:5000/v3\nspaced: a  b\n",
  'a: true\nb: False\nc: NULL\nd: ~\ne: 0\nf: -12\ng: 123456789012345\nh: x1\ni: .5x\n',
  '- a\n-\n- b: 1\n  c:\n    - d\n  e: f\n',
  '- - nested\n',
  'k:\n  - a\nl: 2\n',
  'a: 1\n  b: 2\n',
  'a: b: c\n',
  'a: 1\na: 2\n',
  'a: [1, 2]\n',
  'a: &x 1\nb: *x\n',
  'a: |\n  text\n',
  'a: "esc\\n"\n',
  'a: 012\n',
  'a: 1e3\n',
  '<<: {a: 1}\n',
  '---\na: 1\n',
  'a:\tb\n',
  'a: 1\r\n',
  '  a: 1\n',
  'a: multi\n  line\n',
  "a: 'open\n",
  'a: "x" y\n',
  '"k": v\n\'k2\':\n  - 1\n',
  '- x: 1\n  - y\n',
  'a: b\n- c\n',
  '__proto__: 1\n',
  'a: -\n',
  'a: :x\n',
  'a: x]\n',
  'a: x,y\n',
  'a: "#x" # c\n',
  "a: ''\nb: \"\"\n",
  'a:\n\n  # c\n  b: 1\n\n',
  'a: 1',
  'a: # c\n  b: 1\nc: # d\n- x\n',
  '- # c\n  k: v\n- # d\n',
  'a  : 1\n"b" : 2\n',
  "a: 'x' # c\nb: 'it''s' #c\n",
  'a: é ü\nb: "ñ"\nc: 日本\n',
  'tenants:\n- name: a\n  servers:\n  - x\n  - y\n- name: b\n',
  '',
  '# only a comment\n',
];

describe('the plain YAML reader', () => {
  test('hand-written documents: the same data and positions as yaml, or gives up', () => {
    for (const text of HANDWRITTEN) same(text);
    // What it must read (else the speed-up would not apply).
    for (const text of HANDWRITTEN.slice(1, 8).filter((t) => !t.startsWith('- - '))) assert.ok(parsePlainYaml(text), JSON.stringify(text));
  });

  test('reads the manifests pumphouse sim and yaml.stringify write', () => {
    const manifest = simManifestYaml({ tenants: Array.from({ length: 50 }, (_, i) => ({ name: `tenant-${i}` })) } as never);
    assert.equal(same(manifest), 'read');
    const written = stringify({ version: 1, tenants: [{ name: 'a', servers: ['x', { name: 'y' }] }], hosts: [{ name: 'node-1', environment: 'env', roles: ['compute'], copy_from: 'node-2' }], concurrency: { default: 4, discovery: 16 } });
    assert.equal(same(written), 'read');
  });

  test('random edits of valid documents: never different from yaml', () => {
    const seeds = HANDWRITTEN.slice(0, 8).filter((t) => !t.startsWith('- - '));
    const pieces = [' ', ':', ': ', '#', ' #', '-', '- ', '\n', "'", '"', 'x', '1', '  ', '\n  ', '\n- ', 'true', '[', '&', '~'];
    let seed = 12345;
    // mulberry32: deterministic, so a failure can be replayed.
    const random = (n: number): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    let read = 0;
    for (let i = 0; i < 3000; i++) {
      let text = seeds[random(seeds.length)]!;
      for (let e = 0, edits = 1 + random(2); e < edits; e++) {
        const at = random(text.length + 1);
        text = random(3) === 0 ? text.slice(0, at) + text.slice(at + 1 + random(3)) : text.slice(0, at) + pieces[random(pieces.length)]! + text.slice(at);
      }
      if (same(text) === 'read') read++;
    }
    assert.ok(read > 1000, `${read} of 3000 edited documents read`);
  });
});
