import type { Problem } from '../errors/index.js';
import { hasUnknownKey, type FieldPath, type YamlInput } from './input/index.js';
import { asRecord } from './shape.js';

/**
 * Rules the schema cannot say clearly, run on schema-valid data: each cloud has either
 * `endpoint` or `cloud`, an endpoint names the project to scope to, ports are in range.
 * Values are never quoted: they may be secrets. Mappings with an unknown key are skipped
 * (the schema already reported the likely typo).
 */
export function checkConfigRules(input: YamlInput, data: Record<string, unknown>, unknownKeyParents: readonly FieldPath[]): Problem[] {
  const problems: Problem[] = [];
  const clouds = asRecord(data.CLOUDS) ?? {};
  for (const name of ['source', 'destination'] as const) {
    const cloud = asRecord(clouds[name]);
    if (!cloud) continue;
    const base = ['CLOUDS', name];
    const endpoint = asRecord(cloud.endpoint);
    if (endpoint && cloud.cloud !== undefined) {
      problems.push({ message: "give either 'endpoint' (credentials) or 'cloud' (a clouds.yaml entry), not both", location: input.locate([...base, 'cloud'], 'key') });
    } else if (!endpoint && cloud.cloud === undefined && !hasUnknownKey(unknownKeyParents, base)) {
      problems.push({ message: "needs 'endpoint' (auth_url, username, password, tenant_name) or 'cloud' (the name of a clouds.yaml entry)", location: input.locate(base, 'key') });
    }
    if (endpoint && !hasUnknownKey(unknownKeyParents, [...base, 'endpoint'])) {
      const has = (k: string): boolean => typeof endpoint[k] === 'string';
      if (!['tenant_name', 'project_name', 'project_id', 'tenant_id'].some(has)) {
        problems.push({ message: 'missing required key tenant_name (or project_name, project_id): the project the admin token is scoped to', location: { ...input.locate([...base, 'endpoint'], 'key'), field: `CLOUDS.${name}.endpoint.tenant_name` } });
      }
      if (has('tenant_name') && has('project_name') && endpoint.tenant_name !== endpoint.project_name) {
        problems.push({ message: 'tenant_name and project_name name different projects: give one of them', location: input.locate([...base, 'endpoint', 'project_name'], 'key') });
      }
    }
  }
  for (const key of ['SERVER_NAME', 'BIND_HOST']) {
    const value = data[key];
    if (typeof value !== 'string') continue;
    const port = /:(\d+)$/.exec(value)?.[1];
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
      problems.push({ message: 'port must be a whole number from 1 to 65535', location: input.locate([key]) });
    }
  }
  return problems;
}
