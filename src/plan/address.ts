import { hash } from 'node:crypto';
import { PumphouseError } from '../errors/index.js';
import type { ActionType } from './types.js';

/**
 * One step of an address: `server[web-1]` is `{ type: 'server', name: 'web-1' }`; a singleton
 * such as a tenant's quota has no name (`tenant[acme].quota`).
 */
export interface AddressSegment {
  readonly type: string;
  readonly name?: string;
}

const TYPE = /^[a-z][a-z0-9_]*$/;
// Names are written bare unless they hold a character that would make the address ambiguous.
const NEEDS_QUOTES = /[[\]"\\]|^\s|\s$|^$/;

/**
 * Formats `[{type:'tenant',name:'acme'},{type:'server',name:'web-1'}]` as
 * `tenant[acme].server[web-1]`. Names holding `[`, `]`, `"` or `\` (or edge spaces) are
 * written as JSON strings: `server["a]b"]`. Inverse of `parseAddress`.
 */
export function formatAddress(segments: readonly AddressSegment[]): string {
  return segments
    .map((s) => {
      if (!TYPE.test(s.type)) throw new PumphouseError('PH_INTERNAL', `bad address segment type '${s.type}'`);
      if (s.name === undefined) return s.type;
      return `${s.type}[${NEEDS_QUOTES.test(s.name) ? JSON.stringify(s.name) : s.name}]`;
    })
    .join('.');
}

/** Parses an address written by `formatAddress`; PH_USAGE on a malformed one (it comes from --target). */
export function parseAddress(address: string): AddressSegment[] {
  const out: AddressSegment[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new PumphouseError('PH_USAGE', `malformed address '${address}' at character ${i + 1}: ${why}`);
  };
  while (i < address.length) {
    const m = /^[a-z][a-z0-9_]*/.exec(address.slice(i));
    if (!m) fail('expected a lower-case type word');
    const type = m![0];
    i += type.length;
    let name: string | undefined;
    if (address[i] === '[') {
      i++;
      if (address[i] === '"') {
        const rest = address.slice(i);
        const q = /^"(?:[^"\\]|\\.)*"/.exec(rest);
        if (!q) fail('unterminated quoted name');
        name = JSON.parse(q![0]) as string;
        i += q![0].length;
        if (address[i] !== ']') fail("expected ']'");
      } else {
        const end = address.indexOf(']', i);
        if (end < 0) fail("missing ']'");
        name = address.slice(i, end);
        i = end;
      }
      i++;
    }
    out.push(name === undefined ? { type } : { type, name });
    if (i < address.length) {
      if (address[i] !== '.') fail("expected '.'");
      i++;
      if (i === address.length) fail('trailing dot');
    }
  }
  if (out.length === 0) fail('empty address');
  return out;
}

/**
 * The deterministic id of an action: the first 12 hex digits of sha256(`address action`).
 * Same inputs, same id; no randomness, so plan bytes and `$ref`s are reproducible.
 */
export function actionId(address: string, action: ActionType): string {
  // One-shot hash: a plan of 600,000 actions calls this for each, and a Hash object apiece
  // cost a third of a second.
  return hash('sha256', `${address} ${action}`, 'hex').slice(0, 12);
}
