import { createHash, generateKeyPairSync } from 'node:crypto';
import { badRequest, conflict, forbidden, notFound } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import { nextHref } from '../../http/pagination.js';
import type { KeypairRecord } from '../../store/types/compute.js';
import { bodyOf, policyRefusal, str, type NovaCall, type NovaRoute } from './context.js';
import { limitsOf } from './quota-usage.js';
import { limitOf } from './server-list.js';

/** `aa:bb:...` MD5 of the key blob, as Nova (and ssh-keygen -l -E md5) print it. */
export function sshFingerprint(publicKey: string): string | undefined {
  const parts = publicKey.trim().split(/\s+/);
  const blob = parts.length >= 2 ? Buffer.from(parts[1]!, 'base64') : undefined;
  if (!blob || blob.length < 11) return undefined;
  const typeLen = blob.readUInt32BE(0);
  if (blob.subarray(4, 4 + typeLen).toString() !== parts[0]) return undefined;
  return createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');
}

/** SHA1 of an x509 certificate's DER (2.2 `type: x509`). */
function x509Fingerprint(pem: string): string | undefined {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!m) return undefined;
  return createHash('sha1').update(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')).digest('hex').match(/../g)!.join(':');
}

/**
 * A new RSA key pair in Nova's shapes (OpenSSH public line, PKCS#1 PEM private key). Not
 * derived from the seed: node's RSA generation cannot be seeded, and the project never asks
 * Nova to generate keys (it imports them).
 */
function generateKey(): { readonly publicKey: string; readonly privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const field = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  const mpint = (b64: string) => {
    const raw = Buffer.from(b64, 'base64url');
    return raw[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), raw]) : raw;
  };
  const blob = Buffer.concat([field(Buffer.from('ssh-rsa')), field(mpint(jwk.e!)), field(mpint(jwk.n!))]);
  return { publicKey: `ssh-rsa ${blob.toString('base64')} Generated-by-Nova`, privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() };
}

/**
 * Whose keypairs a request acts on: the token's user, or (an admin, microversion 2.10+)
 * `user_id`. Below 2.10 the parameter does not exist and Nova acts on the caller's own
 * keypairs (legacy-apis.md §2.4): that is why a migration logs in as each user.
 */
function ownerOf(c: NovaCall, asked: string | undefined, rule: string): string {
  if (asked === undefined || asked === '' || !c.microversions || c.mv < 10) return c.auth.userId;
  if (asked !== c.auth.userId && !c.auth.isAdmin) throw policyRefusal(c, rule);
  return asked;
}

const created = (k: KeypairRecord) => k.createdAt.replace('Z', '.000000');

function keypairOf(c: NovaCall, owner: string): KeypairRecord {
  const name = c.req.params['name']!;
  const k = c.store.keypairs.get(`${owner}/${name}`);
  if (!k) throw notFound(`Keypair ${name} not found for user ${owner}`);
  return k;
}

function listKeypairs(c: NovaCall): SimReply {
  const owner = ownerOf(c, c.req.query.get('user_id') ?? undefined, 'os_compute_api:os-keypairs:index');
  let keys = c.store.keypairs.filter((k) => k.userId === owner).sort((a, b) => (a.name < b.name ? -1 : 1));
  const item = (k: KeypairRecord) => ({ keypair: { name: k.name, public_key: k.publicKey, fingerprint: k.fingerprint, ...(c.mv >= 2 ? { type: k.type } : {}) } });
  if (c.mv < 35) return json(200, { keypairs: keys.map(item) });
  const limit = limitOf(c.req.query.get('limit'));
  const marker = c.req.query.get('marker');
  if (marker) {
    const i = keys.findIndex((k) => k.name === marker);
    if (i < 0) throw badRequest(`marker [${marker}] not found`);
    keys = keys.slice(i + 1);
  }
  const page = keys.slice(0, limit);
  const body: Record<string, unknown> = { keypairs: page.map(item) };
  const last = page.at(-1);
  if (page.length === limit && last) body['keypairs_links'] = [{ rel: 'next', href: nextHref(`${c.apiUrl}/os-keypairs`, c.req.query, last.name) }];
  return json(200, body);
}

function showKeypair(c: NovaCall): SimReply {
  const k = keypairOf(c, ownerOf(c, c.req.query.get('user_id') ?? undefined, 'os_compute_api:os-keypairs:show'));
  return json(200, {
    keypair: {
      public_key: k.publicKey, name: k.name, fingerprint: k.fingerprint, user_id: k.userId, created_at: created(k), deleted: false, deleted_at: null,
      updated_at: null, id: k.dbId, ...(c.mv >= 2 ? { type: k.type } : {}),
    },
  });
}

async function createKeypair(c: NovaCall): Promise<SimReply> {
  const b = await bodyOf(c, 'keypair');
  if (c.microversions && c.mv < 10 && 'user_id' in b) throw badRequest("Invalid input for field/attribute keypair. Additional properties are not allowed ('user_id' was unexpected)");
  const owner = ownerOf(c, str(b['user_id']), 'os_compute_api:os-keypairs:create');
  const name = str(b['name']);
  if (name === undefined || name.length < 1 || name.length > 255) throw badRequest('Keypair data is invalid: Keypair name must be string and between 1 and 255 characters long');
  const allowed = c.mv >= 92 ? /^[a-zA-Z0-9 _.@-]+$/ : /^[a-zA-Z0-9 _-]+$/;
  if (!allowed.test(name)) throw badRequest('Keypair data is invalid: Keypair name contains unsafe characters');
  const type = c.mv >= 2 ? (str(b['type']) ?? 'ssh') : 'ssh';
  if (type !== 'ssh' && type !== 'x509') throw badRequest(`Invalid input for field/attribute type. Value: ${type}. '${type}' is not one of ['ssh', 'x509']`);
  let publicKey = str(b['public_key']);
  if (publicKey === undefined && c.mv >= 92) throw badRequest("Invalid input for field/attribute keypair. 'public_key' is a required property");
  const { store } = c;
  if (store.keypairs.has(`${owner}/${name}`)) throw conflict(`Key pair '${name}' already exists.`);
  const limit = limitsOf(store, c.projectId)['key_pairs'] ?? 100;
  if (limit >= 0 && store.keypairs.filter((k) => k.userId === owner).length >= limit) throw forbidden('Quota exceeded, too many key pairs.');
  let privateKey: string | undefined;
  if (publicKey === undefined) {
    const made = generateKey();
    publicKey = made.publicKey;
    privateKey = made.privateKey;
  }
  const fingerprint = type === 'x509' ? x509Fingerprint(publicKey) : sshFingerprint(publicKey);
  if (!fingerprint) throw badRequest('Keypair data is invalid: failed to generate fingerprint');
  const k = store.keypairs.insert({ id: `${owner}/${name}`, dbId: store.ids.next('key_pair'), name, userId: owner, publicKey, fingerprint, type, createdAt: store.now() });
  const out: Record<string, unknown> = { name: k.name, public_key: k.publicKey, fingerprint: k.fingerprint, user_id: k.userId };
  if (privateKey) out['private_key'] = privateKey;
  if (c.mv >= 2) out['type'] = k.type;
  return json(c.mv >= 2 ? 201 : 200, { keypair: out });
}

function deleteKeypair(c: NovaCall): SimReply {
  const k = keypairOf(c, ownerOf(c, c.req.query.get('user_id') ?? undefined, 'os_compute_api:os-keypairs:delete'));
  c.store.keypairs.delete(k.id);
  return empty(c.mv >= 2 ? 204 : 202);
}

/** os-keypairs (legacy-apis.md §2.4, §8): per-user ownership, 200/202 legacy, 201/204 from 2.2. */
export function keypairRoutes(): NovaRoute[] {
  return [
    { method: 'GET', path: '/os-keypairs', auth: 'token', handler: listKeypairs },
    { method: 'POST', path: '/os-keypairs', auth: 'token', handler: createKeypair },
    { method: 'GET', path: '/os-keypairs/{name}', auth: 'token', handler: showKeypair },
    { method: 'DELETE', path: '/os-keypairs/{name}', auth: 'token', handler: deleteKeypair },
  ];
}
