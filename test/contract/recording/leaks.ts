/**
 * What must never be in a fidelity fixture: tokens seen on the wire, ids (uuids, 32-hex),
 * names the suite made, request ids, addresses of the recorded cloud. Answers one line per
 * kind of leak found (without the leaked value).
 */
export function findLeaks(text: string, secrets: readonly string[]): string[] {
  const out: string[] = [];
  if (secrets.some((s) => s.length >= 8 && text.includes(s))) out.push('a token seen on the wire');
  const checks: Array<[string, RegExp]> = [
    ['a uuid', /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i],
    ['a 32-hex id', /\b[0-9a-f]{32}\b/i],
    ['a name made by the contract suite', /phc-[0-9a-f]{8}-/],
    ['a request id', /req-[0-9a-f]{8}/],
    ['a host:port of the recorded cloud', /127\.0\.0\.1|localhost:\d/],
  ];
  for (const [what, re] of checks) if (re.test(text)) out.push(what);
  return out;
}
