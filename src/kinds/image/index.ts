/** The image kind, plus the Glance data path the volume and server kinds share. */
export { imageKind } from './image-kind.js';
export { dataKindSettings, type DataKindOptions, type DataKindSettings } from './data-options.js';
export { dataStep, type DataStep } from './data-step.js';
export { copyImageData, type ImageCopy, type CopiedImage } from './copy-image.js';
export { TEMPORARY_PROPERTY, temporaryImageName, copyableProperties } from './glance.js';
