import { ABSENT, type Observed, type ServiceFixture } from './fixture.js';
import type { Shape } from './shape.js';

/** One way a candidate (the simulator) answers differently from the reference (real Zed). */
export interface Difference {
  /** `compute GET /v2.1/servers/{id} 200`. */
  readonly where: string;
  /** JSON-ish path inside the body or header name; '' for the endpoint itself. */
  readonly at: string;
  readonly what: string;
}

/**
 * Compares recordings of the same contract-suite run against two clouds. The reference is
 * what the real cloud does; the candidate must do at least that:
 * - every endpoint and status the reference answered, the candidate answered too (only for
 *   endpoints the candidate was asked at all: a status never reached is reported, an
 *   endpoint never called is reported once as `not exercised`);
 * - every key the reference always sent is there, with a type the reference also showed;
 *   optional keys (`key?`) may be missing; keys the reference never sent are allowed;
 * - JSON stays JSON and text stays text (error bodies);
 * - the headers the reference always sent are there (request ids, X-Subject-Token,
 *   Location), and content types match (`application/json` vs `text/html`).
 */
export function compareFixtures(reference: readonly ServiceFixture[], candidate: readonly ServiceFixture[]): Difference[] {
  const out: Difference[] = [];
  const bySvc = new Map(candidate.map((f) => [f.service, f]));
  for (const ref of reference) {
    const cand = bySvc.get(ref.service);
    for (const [endpoint, statuses] of Object.entries(ref.endpoints)) {
      const got = cand?.endpoints[endpoint];
      if (!got) {
        out.push({ where: `${ref.service} ${endpoint}`, at: '', what: 'not exercised: the candidate was never asked this' });
        continue;
      }
      for (const [status, observed] of Object.entries(statuses)) {
        const where = `${ref.service} ${endpoint} ${status}`;
        const other = got[status];
        if (!other) {
          out.push({ where, at: '', what: `the candidate never answered ${status} here (it answered ${Object.keys(got).join(', ')})` });
          continue;
        }
        out.push(...compareObserved(where, observed, other));
      }
    }
  }
  return out;
}

function compareObserved(where: string, ref: Observed, cand: Observed): Difference[] {
  const out: Difference[] = [];
  for (const [name, values] of Object.entries(ref.response.headers)) {
    const theirs = cand.response.headers[name] ?? [ABSENT];
    if (!values.includes(ABSENT) && theirs.includes(ABSENT)) out.push({ where, at: `header ${name}`, what: `always sent by the reference (${values.join(', ')}), missing in the candidate` });
    if (name === 'content-type') {
      const family = (v: string) => (v.includes('json') ? 'json' : v.includes('html') ? 'html' : v.split(';')[0] ?? v);
      const mine = new Set(values.filter((v) => v !== ABSENT).map(family));
      const strange = theirs.filter((v) => v !== ABSENT && !mine.has(family(v)));
      if (strange.length) out.push({ where, at: 'header content-type', what: `${strange.join(', ')} where the reference sends ${[...mine].join(', ')}` });
    }
  }
  if (ref.response.body !== undefined) {
    if (cand.response.body === undefined) out.push({ where, at: 'body', what: 'the reference sends a body, the candidate none' });
    else out.push(...compareShape(where, 'body', ref.response.body, cand.response.body));
  }
  return out;
}

function kind(s: Shape): 'primitive' | 'array' | 'object' | 'oneOf' | 'text' | 'binary' {
  if (typeof s === 'string') return 'primitive';
  if (Array.isArray(s)) return 'array';
  const o = s as Record<string, Shape>;
  if ('$oneOf' in o) return 'oneOf';
  if ('$text' in o) return 'text';
  if ('$binary' in o) return 'binary';
  return 'object';
}

/** `ref` is what the real cloud showed at `at`; `cand` must fit inside it. */
export function compareShape(where: string, at: string, ref: Shape, cand: Shape): Difference[] {
  const kr = kind(ref);
  const kc = kind(cand);
  if (kr === 'oneOf') {
    const alts = (ref as { $oneOf: readonly Shape[] }).$oneOf;
    const candAlts = kc === 'oneOf' ? (cand as { $oneOf: readonly Shape[] }).$oneOf : [cand];
    const out: Difference[] = [];
    for (const c of candAlts) {
      const match = alts.find((r) => kind(r) === kind(c));
      if (!match) out.push({ where, at, what: `${describe(c)} where the reference sends ${alts.map(describe).join(' or ')}` });
      else out.push(...compareShape(where, at, match, c));
    }
    return out;
  }
  if (kc === 'oneOf') return (cand as { $oneOf: readonly Shape[] }).$oneOf.flatMap((c) => compareShape(where, at, ref, c));
  if (kr !== kc) return [{ where, at, what: `${describe(cand)} where the reference sends ${describe(ref)}` }];
  switch (kr) {
    case 'primitive': {
      const allowed = new Set((ref as string).split('|'));
      // An integer where the reference had a number is fine (a float that happened to be whole).
      if (allowed.has('number')) allowed.add('integer');
      const extra = (cand as string).split('|').filter((t) => !allowed.has(t));
      return extra.length ? [{ where, at, what: `${extra.join('|')} where the reference sends ${ref as string}` }] : [];
    }
    case 'array': {
      const [r] = ref as readonly Shape[];
      const [c] = cand as readonly Shape[];
      return r === undefined || c === undefined ? [] : compareShape(where, `${at}[]`, r, c);
    }
    case 'object': {
      const out: Difference[] = [];
      const theirs = new Map(Object.entries(cand as Record<string, Shape>).map(([k, v]) => [k.replace(/\?$/, ''), { shape: v, optional: k.endsWith('?') }]));
      for (const [key, shape] of Object.entries(ref as Record<string, Shape>)) {
        const optional = key.endsWith('?');
        const name = key.replace(/\?$/, '');
        const c = theirs.get(name);
        if (c === undefined) {
          if (!optional) out.push({ where, at: `${at}.${name}`, what: 'always sent by the reference, missing in the candidate' });
          continue;
        }
        if (!optional && c.optional) out.push({ where, at: `${at}.${name}`, what: 'always sent by the reference, sometimes missing in the candidate' });
        out.push(...compareShape(where, `${at}.${name}`, shape, c.shape));
      }
      return out;
    }
    case 'text':
    case 'binary':
      return [];
  }
}

function describe(s: Shape): string {
  const k = kind(s);
  if (k === 'primitive') return s as string;
  if (k === 'text') return 'a text body';
  if (k === 'binary') return 'binary data';
  return k === 'oneOf' ? 'one of several kinds' : `an ${k}`;
}
