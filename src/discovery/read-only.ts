import { PumphouseError } from '../errors/index.js';
import {
  ComputeClient,
  NetworkClient,
  NovaNetworkClient,
  VolumeClient,
  imageClient,
  openIdentity,
  pickVolumeEndpoint,
  type Cloud,
  type CloudRequest,
  type IdentityClient,
  type ImageClient,
  type Session,
} from '../openstack/index.js';

/** The only methods discovery may send. */
const READ_METHODS = new Set(['GET', 'HEAD']);

/** One request discovery sent (logical requests; retries are in `session.callCount`). */
export interface LedgerEntry {
  readonly method: string;
  readonly service: string;
  /** URL path without the query. */
  readonly path: string;
}

/** Every request of one discovery, in order, with counts by method and by service. */
export class CallLedger {
  readonly entries: LedgerEntry[] = [];

  record(req: CloudRequest): void {
    let path: string;
    try {
      path = new URL(req.url).pathname;
    } catch {
      path = req.url;
    }
    this.entries.push({ method: req.method, service: req.service, path });
  }

  get total(): number {
    return this.entries.length;
  }

  byMethod(): Record<string, number> {
    return countBy(this.entries, (e) => e.method);
  }

  byService(): Record<string, number> {
    return countBy(this.entries, (e) => e.service);
  }
}

function countBy(entries: readonly LedgerEntry[], key: (e: LedgerEntry) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) out[key(e)] = (out[key(e)] ?? 0) + 1;
  return out;
}

/** The clients discovery reads through: the same as openCloud's, over a read-only session. */
export interface ReadOnlyCloud {
  readonly session: Session;
  readonly identity: IdentityClient;
  readonly compute: ComputeClient;
  readonly image: ImageClient;
  readonly volume: VolumeClient | undefined;
  readonly network: NetworkClient | undefined;
  readonly novaNetwork: NovaNetworkClient | undefined;
  readonly capabilities: Cloud['capabilities'];
}

/**
 * Rebuilds a cloud's clients over a session that refuses anything but GET and HEAD (a
 * PH_INTERNAL error: a discovery bug, never sent) and records every request in `ledger`.
 * The caller's Cloud and its session are not changed; logins and token renewals go through
 * the session's own path (a token POST is not a change to the cloud) and are not recorded.
 */
export function readOnlyCloud(cloud: Cloud, ledger: CallLedger): ReadOnlyCloud {
  const session = readOnlySession(cloud.session, ledger);
  const caps = cloud.capabilities;
  const compute = new ComputeClient(session, caps.computeMicroversion ?? undefined);
  const volumeEndpoint = caps.volumeVersion === null ? undefined : pickVolumeEndpoint(session);
  return {
    session,
    identity: openIdentity(session),
    compute,
    image: imageClient(session, caps.imageVersion),
    volume: volumeEndpoint ? new VolumeClient(session, volumeEndpoint) : undefined,
    network: caps.network === 'neutron' ? new NetworkClient(session, new Set(caps.networkExtensions)) : undefined,
    novaNetwork: caps.network === 'nova-network' ? new NovaNetworkClient(compute.api) : undefined,
    capabilities: caps,
  };
}

function readOnlySession(session: Session, ledger: CallLedger): Session {
  const check = (req: CloudRequest): void => {
    if (!READ_METHODS.has(req.method)) {
      throw new PumphouseError('PH_INTERNAL', `discovery is read-only but tried ${req.method} ${req.service} ${new URL(req.url).pathname}; nothing was sent`, {
        source: 'internal',
        details: { method: req.method, service: req.service },
      });
    }
    ledger.record(req);
  };
  // Made once per session, not on every property read: each call reads `request` and the
  // service's `endpoint` (20,000 calls in a large discovery).
  const request = async (req: CloudRequest) => {
    check(req);
    return session.request(req);
  };
  const requestStream = async (req: CloudRequest) => {
    check(req);
    return session.requestStream(req);
  };
  const scopedTo = async (projectId: string) => readOnlySession(await session.scopedTo(projectId), ledger);
  const bound = new Map<PropertyKey, { readonly of: unknown; readonly fn: unknown }>();
  return new Proxy(session, {
    get(target, prop) {
      if (prop === 'request') return request;
      if (prop === 'requestStream') return requestStream;
      if (prop === 'scopedTo') return scopedTo;
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const known = bound.get(prop);
      if (known && known.of === value) return known.fn;
      const fn = (value as (...a: unknown[]) => unknown).bind(target);
      bound.set(prop, { of: value, fn });
      return fn;
    },
  });
}
