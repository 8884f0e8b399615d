/**
 * A list in a reply body whose items are rendered while the body is written, one at a time:
 * each rendered view is garbage as soon as its text is out, so a page of 1,000 server views
 * never sits in the heap at once (the collector copied whole pages between generations).
 * `toJSON` renders everything, so JSON.stringify of a body holding one gives the same text.
 */
export class RenderedList<T> {
  constructor(
    readonly items: readonly T[],
    readonly render: (item: T) => unknown,
  ) {}

  toJSON(): unknown[] {
    return this.items.map((item) => this.render(item));
  }
}

export function renderedList<T>(items: readonly T[], render: (item: T) => unknown): RenderedList<T> {
  return new RenderedList(items, render);
}

/** A plain object body with a RenderedList among its members (what `jsonPieces` streams). */
export function hasRenderedList(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  for (const key of Object.keys(value)) if (value[key] instanceof RenderedList) return true;
  return false;
}

/**
 * Hands `put` the text of JSON.stringify(value) in pieces: the members of a plain object one
 * by one, a RenderedList item by item. Same text as JSON.stringify: members in Object.keys
 * order, members whose value stringifies to nothing (undefined, functions, symbols) left
 * out, list items that stringify to nothing written as null.
 */
export function jsonPieces(value: unknown, put: (text: string) => void): void {
  if (!isPlainObject(value)) {
    put(JSON.stringify(value) ?? '');
    return;
  }
  put('{');
  let first = true;
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (member instanceof RenderedList) {
      put(first ? `${JSON.stringify(key)}:[` : `,${JSON.stringify(key)}:[`);
      const { items, render } = member as RenderedList<unknown>;
      for (let i = 0; i < items.length; i++) {
        const text = JSON.stringify(render(items[i])) ?? 'null';
        put(i === 0 ? text : `,${text}`);
      }
      put(']');
    } else {
      const text = JSON.stringify(member) as string | undefined;
      if (text === undefined) continue;
      put(first ? `${JSON.stringify(key)}:${text}` : `,${JSON.stringify(key)}:${text}`);
    }
    first = false;
  }
  put('}');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}
