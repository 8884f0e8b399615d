/**
 * Streaming copy of image and volume data between clouds: source download piped into
 * destination upload with md5 and sha512 computed in flight, checked against the source,
 * the plan and the destination, retried from scratch when the copy is wrong, with
 * throttled progress events. `copy()` knows no client; adapters/ binds it to Glance and
 * Cinder.
 */
export { copy } from './copy.js';
export type {
  ArrivedCopy,
  Check,
  Checksums,
  CopyOptions,
  DigestAlgorithm,
  DigestChoice,
  Hashing,
  OpenedSource,
  TransferResult,
  TransferSink,
  TransferSource,
} from './types.js';
export { normalizeDigest } from './checks.js';
export {
  imageSource,
  imageSink,
  volumeSource,
  copyVolumeData,
  readImageFacts,
  waitForImage,
  type ImageSink,
  type ImageSinkOptions,
  type VolumeSource,
  type VolumeSourceOptions,
  type VolumeCopyOptions,
  type VolumeCopyResult,
  type ImageFacts,
  type WaitOptions,
} from './adapters/index.js';
