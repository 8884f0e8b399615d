/** A path into a YAML document: map keys and sequence indexes. */
export type FieldPath = readonly (string | number)[];

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `CLOUDS.source.endpoint.auth_url`, `tenants[2].name`, `options.flavor_map["m1.small"]`. */
export function formatField(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/**
 * Turns an ajv `instancePath` (JSON pointer) into a FieldPath, using the data to tell array
 * indexes from map keys that happen to be digits.
 */
export function pointerToPath(pointer: string, data: unknown): FieldPath {
  if (pointer === '') return [];
  const out: (string | number)[] = [];
  let cursor: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cursor)) {
      const index = Number(seg);
      out.push(index);
      cursor = cursor[index];
    } else {
      out.push(seg);
      cursor = typeof cursor === 'object' && cursor !== null ? (cursor as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

/** True when `path` starts with `prefix`. */
export function pathStartsWith(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
}
