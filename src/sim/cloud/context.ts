import type { Readable } from 'node:stream';
import type { TokenStore } from '../auth/tokens.js';
import type { SimClock } from '../clock.js';
import type { SimKnobs } from '../knobs.js';
import type { Profile } from '../profile.js';
import type { SimStore } from '../store/store.js';
import type { DataRef } from '../store/types/image.js';
import type { CatalogService } from './catalog.js';

/** Path prefixes of the services on a simulated cloud's one HTTP server. */
export const SERVICE_NAMES = ['identity', 'identity-admin', 'compute', 'image', 'volume', 'network'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * What a handler gets besides its request: the cloud's profile, store, clock, knobs, tokens
 * and URLs. One per cloud; handlers must not keep per-request state here.
 */
export interface CloudContext {
  /** `source`, `destination`, or the name given to startSimCloud. */
  readonly name: string;
  readonly profile: Profile;
  readonly store: SimStore;
  readonly clock: SimClock;
  readonly tokens: TokenStore;
  /** Current knobs (read them at use: they change at run time). */
  readonly knobs: SimKnobs;
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The Keystone URL a client should log in with (for WWW-Authenticate). */
  readonly authUrl: string;
  /** `http://127.0.0.1:PORT/compute`: where a service is mounted. */
  serviceUrl(service: ServiceName): string;
  /** The catalog as a token scoped to `projectId` carries it (none for unscoped tokens). */
  catalog(projectId: string | undefined): readonly CatalogService[];
  /**
   * The bytes of an image or volume, rate-limited by the `imageRateBps`/`volumeRateBps` knob.
   * `range` is [start, end) in bytes.
   */
  readData(ref: DataRef, rate: 'image' | 'volume', range?: readonly [number, number]): Readable;
  /** Wraps an incoming stream (upload) in the same rate limit. */
  limitRate(source: Readable, rate: 'image' | 'volume'): Readable;
}
