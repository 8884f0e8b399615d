/**
 * The data and compute kinds (image, volume, server_group, server, source_after) as one array for the
 * registry. The volume and server handlers share one QuiesceBook (who holds which source
 * server quiesced) and the server handlers one KeypairLocks, so build them together.
 */
import type { KindHandler } from './contract.js';
import { dataKindSettings, imageKind, type DataKindOptions } from './image/index.js';
import { KeypairLocks, QuiesceBook, serverGroupKind, serverKind } from './server/index.js';
import { sourceAfterKind } from './source-after/index.js';
import { volumeKind } from './volume/index.js';

export type { DataKindOptions } from './image/index.js';

/** Handlers of `image`, `volume`, `server_group`, `server` and `source_after`, with the given tunables. */
export function dataComputeKinds(options: DataKindOptions = {}): KindHandler[] {
  const settings = dataKindSettings(options);
  const book = new QuiesceBook();
  return [imageKind(settings), volumeKind(settings, book), serverGroupKind, serverKind(settings, book, new KeypairLocks()), sourceAfterKind(settings)];
}
