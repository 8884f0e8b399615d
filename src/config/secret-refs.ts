import type { Problem } from '../errors/index.js';
import type { FieldPath } from './input/index.js';
import type { YamlInput } from './input/index.js';

const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface Expansion {
  /** The data with every `${VAR}` replaced (unset ones are left as written). */
  readonly data: unknown;
  /** One problem per unset variable reference, located at the field. */
  readonly unset: readonly Problem[];
  /** Fields holding an unset reference: their schema errors are noise, skip them. */
  readonly unsetPaths: readonly FieldPath[];
}

/**
 * Replaces `${VAR}` in the string values below `roots` with the variable's value; `$${`
 * stands for a literal `${`. A variable that is unset or empty is a problem naming the
 * file, line and field, never a value. Other subtrees (test workloads, the original's
 * `cmds` anchors with their `${PUBLIC_IP}`) are left alone.
 */
export function expandSecretRefs(input: YamlInput, data: unknown, roots: readonly FieldPath[], env: NodeJS.ProcessEnv): Expansion {
  const unset: Problem[] = [];
  const unsetPaths: FieldPath[] = [];
  const under = (path: FieldPath): boolean => roots.some((root) => root.every((seg, i) => path[i] === seg) || path.every((seg, i) => root[i] === seg));
  const walk = (value: unknown, path: FieldPath): unknown => {
    if (!under(path)) return value;
    if (typeof value === 'string') {
      let missing = false;
      const expanded = value.replace(REFERENCE, (whole, name: string | undefined) => {
        if (name === undefined) return '${';
        const v = env[name];
        if (v === undefined || v === '') {
          missing = true;
          unset.push({ message: `\${${name}} refers to an environment variable that is not set`, location: input.locate(path) });
          return whole;
        }
        return v;
      });
      if (missing) unsetPaths.push(path);
      return expanded;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, i]));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k])]));
    }
    return value;
  };
  return { data: walk(data, []), unset, unsetPaths };
}
