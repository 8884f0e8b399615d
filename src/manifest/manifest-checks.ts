import type { Problem } from '../errors/index.js';
import { hasUnknownKey, type FieldPath, type YamlInput } from '../config/input/index.js';
import { objectRef, tenantKey, tenantRef } from './normalize-manifest.js';

type Raw = Record<string, unknown>;

const isRaw = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Items of a list that are mappings, with their index (the schema reports the others). */
const asList = (v: unknown): [Raw, number][] => (Array.isArray(v) ? v.map((item, i): [unknown, number] => [item, i]).filter((e): e is [Raw, number] => isRaw(e[0])) : []);
const lineOf = (input: YamlInput, path: (string | number)[]): string => {
  const line = input.locate(path).line;
  return line === undefined ? '' : ` (line ${line})`;
};

/**
 * Rules beyond the schema, on schema-valid data: a tenant is named by name or id (one of
 * them), no tenant, host or server is listed twice, and `copy_from` is not mixed with an
 * explicit layout.
 */
export function checkManifestRules(input: YamlInput, data: Raw, unknownKeyParents: readonly FieldPath[]): Problem[] {
  const problems: Problem[] = [];
  const seenTenants = new Map<string, number>();
  for (const [t, i] of asList(data.tenants)) {
    const at = ['tenants', i];
    if (t.name !== undefined && t.id !== undefined) {
      problems.push({ message: 'name the tenant by name or by id, not both', location: input.locate([...at, 'id'], 'key') });
      continue;
    }
    if (t.name === undefined && t.id === undefined && !hasUnknownKey(unknownKeyParents, at)) {
      problems.push({ message: "each tenant needs 'name' or 'id'", location: { ...input.locate(at), field: `tenants[${i}].name` } });
      continue;
    }
    const ref = tenantRef(t);
    if (!ref) continue; // a name or id of the wrong type: the schema said so
    const key = tenantKey(ref);
    const first = seenTenants.get(key);
    if (first !== undefined) {
      problems.push({ message: `tenant ${JSON.stringify(ref.value)} is listed twice (first at tenants[${first}]${lineOf(input, ['tenants', first])})`, location: input.locate([...at, ref.by]) });
    } else seenTenants.set(key, i);
    problems.push(...duplicateRefs(input, t.servers, [...at, 'servers'], 'server'));
  }
  const seenHosts = new Map<string, number>();
  for (const [h, i] of asList(data.hosts)) {
    const at = ['hosts', i];
    const name = typeof h.name === 'string' ? h.name : undefined;
    const first = name === undefined ? undefined : seenHosts.get(name);
    if (first !== undefined) {
      problems.push({ message: `host ${JSON.stringify(name)} is listed twice (first at hosts[${first}]${lineOf(input, ['hosts', first])})`, location: input.locate([...at, 'name']) });
    } else if (name !== undefined) seenHosts.set(name, i);
    if (h.copy_from !== undefined && (h.disks !== undefined || h.interfaces !== undefined)) {
      problems.push({ message: 'copy_from takes the disks and interfaces from another node: give either copy_from or disks/interfaces', location: input.locate([...at, 'copy_from'], 'key') });
    }
    if (h.copy_from !== undefined && h.copy_from === name) {
      problems.push({ message: 'copy_from names the host itself: name a node already deployed in the destination environment', location: input.locate([...at, 'copy_from']) });
    }
  }
  if (isRaw(data.images)) problems.push(...duplicateRefs(input, data.images.public, ['images', 'public'], 'image'));
  return problems;
}

function duplicateRefs(input: YamlInput, list: unknown, at: (string | number)[], what: string): Problem[] {
  if (!Array.isArray(list)) return [];
  const seen = new Map<string, number>();
  const problems: Problem[] = [];
  list.forEach((raw: unknown, i) => {
    if (typeof raw !== 'string' && !isRaw(raw)) return;
    const ref = objectRef(raw);
    const key = `${ref.by}\u0000${ref.value}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push({ message: `${what} ${JSON.stringify(ref.value)} is listed twice (first at item ${first})`, location: input.locate([...at, i]) });
    else seen.set(key, i);
  });
  return problems;
}
