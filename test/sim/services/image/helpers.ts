import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { imageClient, openCloud, type Cloud, type ImageClient } from '../../../../src/openstack/index.js';
import type { CloudSpec, SimCloud } from '../../../../src/sim/index.js';
import { startSimCloud } from '../../../../src/sim/index.js';
import { loginV3, memberLogin, rawCaller, type Answer } from '../../helpers.js';

export interface GlanceTest {
  readonly label: string;
  readonly cloud: SimCloud;
  /** The admin's cloud (project `admin`), opened by `openCloud` as the tool does. */
  readonly admin: Cloud;
  /** Glance v2 through the project's client. */
  readonly v2: ImageClient;
  /** Glance v1 (legacy profiles only), the same session. */
  readonly v1: ImageClient | undefined;
  /** An admin token for raw calls. */
  readonly token: string;
  /** `http://127.0.0.1:PORT/image`. */
  readonly base: string;
  /** A raw call below `/image` (JSON body when given), with the admin token unless `token` says otherwise. */
  raw(method: string, path: string, opts?: { body?: unknown; token?: string; headers?: Record<string, string> }): Promise<Answer>;
  close(): Promise<void>;
}

/** A simulated cloud of `label` (instant transitions) with the admin logged in through the clients. */
export async function glanceCloud(label: string, spec: Partial<CloudSpec> = {}): Promise<GlanceTest> {
  const [release, ...rest] = label.split(':');
  const cloud = await startSimCloud({ release: release as CloudSpec['release'], network: rest.join(':') as CloudSpec['network'], hashCost: 'fast', ...spec }, { knobs: { timeScale: 0 } });
  const admin = await openCloud({ authUrl: cloud.authUrl, username: 'admin', password: 'admin', projectName: 'admin' }, { name: label, retry: { attempts: 1 } });
  const { id: token } = await loginV3(cloud);
  const base = `${cloud.url}/image`;
  return {
    label,
    cloud,
    admin,
    v2: imageClient(admin.session, '2'),
    v1: cloud.profile.glanceV1 ? imageClient(admin.session, '1') : undefined,
    token,
    base,
    raw: rawCaller(base, token),
    close: async () => {
      await admin.close();
      await cloud.close();
    },
  };
}

export interface Tenant {
  readonly projectId: string;
  readonly cloud: Cloud;
  readonly token: string;
}

/** A new project with a member user (no admin role), logged in through the clients. */
export function tenant(t: { readonly cloud: SimCloud }, name: string): Promise<Tenant> {
  return memberLogin(t.cloud, name);
}

/** Bytes with the digests Glance keeps (MD5, sha512). */
export function bytesOf(size: number, seed = 7): { readonly data: Buffer; readonly md5: string; readonly sha512: string } {
  const data = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    data[i] = x >>> 24;
  }
  return { data, md5: createHash('md5').update(data).digest('hex'), sha512: createHash('sha512').update(data).digest('hex') };
}

/** Reads a stream to its end: length, MD5 and sha512. */
export async function digest(body: Readable | AsyncIterable<Buffer>): Promise<{ readonly size: number; readonly md5: string; readonly sha512: string }> {
  const md5 = createHash('md5');
  const sha = createHash('sha512');
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    md5.update(chunk);
    sha.update(chunk);
  }
  return { size, md5: md5.digest('hex'), sha512: sha.digest('hex') };
}
