export type * from './types.js';
export { fingerprint, canonicalText } from './fingerprint.js';
export {
  indexBy,
  groupBy,
  markerIndex,
  markerKey,
  isVolumeSnapshotImage,
  type Groups,
  type MarkedObject,
} from './indexes.js';
