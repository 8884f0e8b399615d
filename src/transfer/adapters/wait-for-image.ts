import { setTimeout as sleep } from 'node:timers/promises';
import { PumphouseError } from '../../errors/index.js';
import { emit, type Reporter } from '../../events/index.js';
import type { Cloud } from '../../openstack/index.js';
import { readImageFacts, type ImageFacts } from './image-facts.js';

export interface WaitOptions {
  readonly address: string;
  readonly reporter?: Reporter;
  readonly signal?: AbortSignal;
  /** Give up after this long (PH_TIMEOUT). */
  readonly timeoutMs: number;
  readonly pollMs: number;
  /** Statuses to keep waiting through. */
  readonly through: readonly string[];
}

/**
 * Polls an image until its status leaves `through`; answers its facts then (null when it
 * disappeared). Emits a `wait` event per poll. Throws PH_TIMEOUT when it takes longer than
 * `timeoutMs`, PH_ABORTED on the signal.
 */
export async function waitForImage(cloud: Cloud, id: string, o: WaitOptions): Promise<ImageFacts | null> {
  const started = Date.now();
  for (;;) {
    const facts = await readImageFacts(cloud, id, o.signal);
    if (facts === null || !o.through.includes(facts.status)) return facts;
    const elapsed = Date.now() - started;
    emit(o.reporter, 'wait', 'debug', `${o.address}: image ${id} is ${facts.status}`, {
      address: o.address,
      what: `image ${id}`,
      status: facts.status,
      elapsed_s: Math.round(elapsed / 1000),
    });
    if (elapsed >= o.timeoutMs) {
      throw new PumphouseError('PH_TIMEOUT', `${o.address}: image ${id} is still ${facts.status} after ${Math.round(elapsed / 1000)} s`, {
        address: o.address,
        source: 'cloud',
        details: { image_id: id, status: facts.status, waited_ms: elapsed },
      });
    }
    try {
      await sleep(o.pollMs, undefined, o.signal ? { signal: o.signal } : {});
    } catch {
      throw new PumphouseError('PH_ABORTED', `${o.address}: interrupted while waiting for image ${id}`, { address: o.address });
    }
  }
}
