import type * as os from '../../openstack/index.js';
import type { PasswordHashRef, Project, Role, User } from '../../inventory/index.js';
import type { HashAlgorithm } from '../../identity-db/index.js';
import { keystoneMarker, markerField } from './marks.js';

/** Keystone v2.0 has no domains: the inventory says null there rather than the client's `default`. */
export function toProject(p: os.Project, v3: boolean): Project {
  const { marker, description } = keystoneMarker(p, 'project');
  return { id: p.id, name: p.name, description, enabled: p.enabled, domainId: v3 ? p.domainId : null, ...markerField(marker) };
}

export function toUser(u: os.User, v3: boolean): User {
  const { marker } = keystoneMarker(u, 'user');
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    enabled: u.enabled,
    defaultProjectId: u.defaultProjectId,
    domainId: v3 ? u.domainId : null,
    ...markerField(marker),
  };
}

export function toRole(r: os.Role): Role {
  return { id: r.id, name: r.name };
}

/**
 * The inventory's hash schemes are those the planner reasons about; bcrypt_sha256 (Keystone
 * 2024.1+) has no scheme of its own there and is reported as `unknown` (the planner then
 * warns instead of assuming a verifiable copy).
 */
export function toHashRef(userId: string, algorithm: HashAlgorithm): PasswordHashRef {
  const scheme: PasswordHashRef['scheme'] =
    algorithm === 'sha512_crypt' || algorithm === 'bcrypt' || algorithm === 'scrypt' || algorithm === 'pbkdf2_sha512' ? algorithm : 'unknown';
  return { userId, scheme };
}
