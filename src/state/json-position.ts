/**
 * Where a JSON text first goes wrong, as a 1-based line and column, or undefined when it
 * parses. V8 gives a position for some syntax errors but only a snippet for others
 * ("Unexpected token ','"), so the offset is found by bisection over prefixes: a prefix
 * before the error is merely incomplete (it fails at its very end), one past it fails earlier.
 */
export function jsonErrorPosition(text: string): { readonly line: number; readonly column: number } | undefined {
  if (fine(text, text.length) === 'complete') return undefined;
  let lo = 0; // longest prefix known to be fine
  let hi = text.length; // shortest prefix known to be broken
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fine(text, mid) === 'broken') hi = mid;
    else lo = mid;
  }
  const offset = hi - 1;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: Math.max(1, offset - before.lastIndexOf('\n')) };
}

function fine(text: string, length: number): 'complete' | 'incomplete' | 'broken' {
  try {
    JSON.parse(text.slice(0, length));
    return 'complete';
  } catch (err) {
    const message = (err as Error).message;
    if (/Unexpected end of JSON input/.test(message)) return 'incomplete';
    const pos = /at position (\d+)/.exec(message);
    return pos && Number(pos[1]) >= length ? 'incomplete' : 'broken';
  }
}
