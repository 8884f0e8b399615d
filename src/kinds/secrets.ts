import { randomBytes } from 'node:crypto';
import { PumphouseError } from '../errors/index.js';
import type { Cloud } from '../openstack/index.js';
import type { SecretResolver, ServiceContext } from './contract.js';
import type { IdentityDbAccess } from './common/identity-db-access.js';

/**
 * Fetches the secrets plans reference, from the source cloud, at the moment a step needs them:
 * - `keystone/user/<id>/password_hash`: the user's hash from the source Keystone database
 *   (the config's `identity.connection`);
 * - `pumphouse/user/<id>/reset_password`: a new random password (`identity.passwords:
 *   reset`), made once per path and kept in this process's memory only;
 * - `nova/flavor_extra_specs/<id>:<key>/value`, `nova/server_metadata/<id>:<key>/value`,
 *   `cinder/volume_metadata/<id>:<key>/value`, `glance/image_properties/<id>:<key>/value`:
 *   a secret-looking entry of a free-form map, read from the source object (id and key
 *   percent-encoded, as the planner writes them).
 * Errors name the path, never a value: PH_NOT_FOUND when the secret is gone, PH_INTERNAL for
 * a path outside this grammar.
 */
export function secretResolver(options: {
  readonly sourceDb: IdentityDbAccess;
  /** A user's original hash while apply holds its source password temporary (keypairs read as their owner). */
  readonly originalHash?: (userId: string) => string | undefined;
}): SecretResolver {
  const generated = new Map<string, string>();
  return {
    async resolve(path: string, ctx: ServiceContext): Promise<string> {
      const [service, collection, id, ...what] = path.split('/');
      const rest = what.join('/');
      if (!service || !collection || !id || !rest) throw unknown(path);
      const key = `${service}/${collection}`;
      if (key === 'keystone/user' && rest === 'password_hash') {
        const held = options.originalHash?.(id);
        if (held !== undefined) return held;
        const hash = await options.sourceDb.use(`the secret ${path}`, (db) => db.readPasswordHash(id));
        if (!hash) throw missing(path, 'the source user has no password hash (federated, LDAP, or never set)');
        return hash.value;
      }
      if (key === 'pumphouse/user' && rest === 'reset_password') {
        let pw = generated.get(path);
        if (pw === undefined) {
          pw = `${randomBytes(18).toString('base64url')}-Aa1`;
          generated.set(path, pw);
        }
        return pw;
      }
      if (rest === 'value') return entryOf(key, id, path, await ctx.clouds.source());
      throw unknown(path);
    },
  };
}

async function entryOf(key: string, ownerAndKey: string, path: string, source: Cloud): Promise<string> {
  const colon = ownerAndKey.indexOf(':');
  if (colon <= 0) throw unknown(path);
  const owner = decode(ownerAndKey.slice(0, colon), path);
  const entry = decode(ownerAndKey.slice(colon + 1), path);
  let map: Readonly<Record<string, string>>;
  switch (key) {
    case 'nova/flavor_extra_specs':
      map = await source.compute.flavors.getExtraSpecs(owner);
      break;
    case 'nova/server_metadata':
      map = await source.compute.servers.getMetadata(owner);
      break;
    case 'cinder/volume_metadata':
      if (!source.volume) throw missing(path, 'the source has no block storage service');
      map = await source.volume.volumes.getMetadata(owner);
      break;
    case 'glance/image_properties':
      map = (await source.image.get(owner)).properties;
      break;
    default:
      throw unknown(path);
  }
  const v = map[entry];
  if (v === undefined) throw missing(path, 'the source no longer has this entry');
  return v;
}

function decode(s: string, path: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw unknown(path);
  }
}

function unknown(path: string): PumphouseError {
  return new PumphouseError('PH_INTERNAL', `the plan references the secret '${path}', which pumphouse does not know how to fetch`, {
    source: 'internal',
    details: { secret: path },
  });
}

function missing(path: string, why: string): PumphouseError {
  return new PumphouseError('PH_NOT_FOUND', `the secret '${path}' cannot be fetched: ${why}`, { source: 'cloud', details: { secret: path } });
}
