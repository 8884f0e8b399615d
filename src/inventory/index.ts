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
export {
  MARKER_SOURCE_KEY,
  MARKER_KIND_KEY,
  SETUP_MARKER_KEY,
  markerEntries,
  markerFromEntries,
  markerTags,
  markerFromTags,
  markDescription,
  markerFromDescription,
  unmarkDescription,
  isSetupMarked,
} from './marker.js';
