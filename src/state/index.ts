export {
  STATE_FORMAT_VERSION,
  type StateFile,
  type StateObject,
  type ObjectStatus,
  type PendingStep,
  type ObjectError,
  type Temporary,
  type TemporarySide,
  type HistoryEntry,
  type HistoryResult,
  type JournalRecord,
  type JournalRecordType,
  type ObjectRecordBase,
  type LockInfo,
} from './types.js';
export { emptyState, findObject, findBySourceId, upsertObject, removeObjects, idMap, type IdMap } from './model.js';
export { applyRecord, applyRecords, markInterrupted } from './replay.js';
export { validateState, stateSchemaPath } from './schema.js';
export { StateStore, type StateStoreOptions, type ReplayReport } from './file-store.js';
export { Journal, type JournalContent, type StoredRecord } from './journal.js';
export { StateLock, forceUnlock, readLock, DEFAULT_LEASE_MS, type AcquireOptions } from './lock.js';
export { lockPathFor } from './lock-file.js';
export { writeFileAtomic } from './atomic-write.js';
