/**
 * The members of a JSON object answer other than its big list, read without parsing the list:
 * a page of 1,000 servers is ~1.6 MB of JSON and its `servers_links` sit at the very end, so
 * the next page can be asked for while this one is parsed (pagination.ts). The object is
 * scanned from its start up to the list's key and from its end back to the list's value;
 * each other member's value is parsed on its own, so it equals what JSON.parse of the whole
 * text gives for valid JSON. One guess is made: the first value from the end too big for the
 * budget is taken for the list (reading it would cost what parsing it costs), so a member
 * larger than the budget after the list would go unseen: callers check what they did with
 * the members against the parsed answer.
 */
export interface OuterMembers {
  /** Every top-level member but the list. */
  readonly members: Readonly<Record<string, unknown>>;
  /** The list holds no item (`[]`). */
  readonly listEmpty: boolean;
}

/**
 * The top-level members of `text` other than `listKey`, or undefined when they cannot be read
 * from at most `budget` characters at each end: not an object, no or two `listKey` members,
 * the list not an array, a member before the list larger than the budget, text that is not
 * valid JSON.
 */
export function outerMembers(text: string, listKey: string, budget = 16_384): OuterMembers | undefined {
  try {
    const head = scanForward(text, listKey, budget);
    if (!head) return undefined;
    const tail = scanBackward(text, listKey, budget, head);
    if (!tail) return undefined;
    const members: Record<string, unknown> = {};
    for (const [k, v] of head.members) members[k] = v;
    for (let i = tail.members.length - 1; i >= 0; i--) members[tail.members[i]![0]] = tail.members[i]![1];
    return { members, listEmpty: tail.listEmpty };
  } catch {
    // A member that is not valid JSON: the whole parse will say so.
    return undefined;
  }
}

type Member = readonly [string, unknown];

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Index of the first non-space at or after i. */
function skipForward(t: string, i: number): number {
  while (i < t.length && isSpace(t.charCodeAt(i))) i++;
  return i;
}

/** Index of the last non-space at or before i. */
function skipBackward(t: string, i: number): number {
  while (i >= 0 && isSpace(t.charCodeAt(i))) i--;
  return i;
}

/** The index of the quote closing the string that opens at `open`. */
function stringEnd(t: string, open: number): number {
  for (let i = open + 1; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i;
  }
  return -1;
}

/** Whether the quote at i is escaped (an odd number of backslashes before it). */
function escaped(t: string, i: number): boolean {
  let n = 0;
  for (let j = i - 1; j >= 0 && t.charCodeAt(j) === 0x5c; j--) n++;
  return n % 2 === 1;
}

/** The index of the quote opening the string that closes at `close`; -1 below `floor`. */
function stringStart(t: string, close: number, floor: number): number {
  for (let i = close - 1; i >= floor; i--) if (t.charCodeAt(i) === 0x22 && !escaped(t, i)) return i;
  return -1;
}

/** The index just past the value starting at i; -1 when it does not end before `ceiling`. */
function valueEnd(t: string, i: number, ceiling: number): number {
  const end = Math.min(t.length, ceiling);
  const c = t.charCodeAt(i);
  if (c === 0x22) {
    const e = stringEnd(t, i);
    return e < 0 || e >= end ? -1 : e + 1;
  }
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (let j = i; j < end; j++) {
      const d = t.charCodeAt(j);
      if (d === 0x22) {
        j = stringEnd(t, j);
        if (j < 0) return -1;
      } else if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < end && !isSpace(t.charCodeAt(j)) && t[j] !== ',' && t[j] !== '}') j++;
  return j < end ? j : -1;
}

/** The index where the value ending at e (inclusive) starts; -1 when it starts below `floor`. */
function valueStart(t: string, e: number, floor: number): number {
  const c = t.charCodeAt(e);
  if (c === 0x22) return stringStart(t, e, floor);
  if (c === 0x7d || c === 0x5d) {
    let depth = 0;
    for (let j = e; j >= floor; j--) {
      const d = t.charCodeAt(j);
      if (d === 0x22) {
        j = stringStart(t, j, floor);
        if (j < 0) return -1;
      } else if (d === 0x7d || d === 0x5d) depth++;
      else if (d === 0x7b || d === 0x5b) {
        depth--;
        if (depth === 0) return j;
      }
    }
    return -1;
  }
  let j = e;
  while (j >= floor && !isSpace(t.charCodeAt(j)) && t[j] !== ',' && t[j] !== ':') j--;
  return j >= floor ? j + 1 : -1;
}

interface Head {
  readonly members: Member[];
  /** Where the list member's key starts, and the list's value (its `[`). */
  readonly listKeyAt: number;
  readonly listAt: number;
}

/** Members from the opening brace up to the list's key; undefined past the budget or without the key. */
function scanForward(t: string, listKey: string, budget: number): Head | undefined {
  const members: Member[] = [];
  let i = skipForward(t, 0);
  if (t[i] !== '{') return undefined;
  i++;
  for (;;) {
    i = skipForward(t, i);
    if (i > budget || t[i] !== '"') return undefined;
    const keyEnd = stringEnd(t, i);
    if (keyEnd < 0 || keyEnd > budget) return undefined;
    const key = JSON.parse(t.slice(i, keyEnd + 1)) as string;
    const colon = skipForward(t, keyEnd + 1);
    if (t[colon] !== ':') return undefined;
    const v = skipForward(t, colon + 1);
    if (key === listKey) return t[v] === '[' ? { members, listKeyAt: i, listAt: v } : undefined;
    const end = valueEnd(t, v, budget);
    if (end < 0) return undefined;
    members.push([key, JSON.parse(t.slice(v, end))]);
    i = skipForward(t, end);
    if (t[i] !== ',') return undefined;
    i++;
  }
}

/**
 * Members from the closing brace back to the list, last first. The list is either met whole
 * (small enough: its key is the one the forward scan found) or as the first value too big for
 * the budget, which must then be the array the forward scan found opening (not read: that
 * would cost what the parse costs; the caller checks its guess against the parsed answer).
 */
function scanBackward(t: string, listKey: string, budget: number, head: Head): { members: Member[]; listEmpty: boolean } | undefined {
  const members: Member[] = [];
  const floor = Math.max(head.listAt, t.length - budget);
  let i = skipBackward(t, t.length - 1);
  if (t[i] !== '}') return undefined;
  i--;
  for (;;) {
    i = skipBackward(t, i);
    const valueLast = i;
    const start = valueStart(t, i, floor);
    if (start < 0 || start === head.listAt) {
      if (t[i] !== ']') return undefined;
      return { members, listEmpty: t[skipForward(t, head.listAt + 1)] === ']' };
    }
    i = skipBackward(t, start - 1);
    if (t[i] !== ':') return undefined;
    i = skipBackward(t, i - 1);
    if (t[i] !== '"') return undefined;
    const keyStart = stringStart(t, i, floor);
    if (keyStart < 0) return undefined;
    const key = JSON.parse(t.slice(keyStart, i + 1)) as string;
    // A second member named like the list: which one JSON.parse keeps is not worth guessing.
    if (key === listKey) return undefined;
    members.push([key, JSON.parse(t.slice(start, valueLast + 1))]);
    i = skipBackward(t, keyStart - 1);
    if (t[i] !== ',') return undefined;
    i--;
  }
}
