/** The server kind: quiesce, snapshot, transfer, boot, attach, check, verify. */
export { serverKind, statusBefore } from './server-kind.js';
export { QuiesceBook, type QuiesceMode } from './quiesce.js';
export { KeypairLocks, withOwnersKeypair } from './boot-keypair.js';
export { findServer, findServerCopy, type ServerLookup } from './server-copy.js';
export { serverGroupKind } from './server-group.js';
