/** The transfer bound to the OpenStack clients: Glance images and Cinder volumes. */
export { imageSource, imageSink, type ImageSink, type ImageSinkOptions } from './glance-image.js';
export { volumeSource, type VolumeSource, type VolumeSourceOptions } from './cinder-volume.js';
export { copyVolumeData, type VolumeCopyOptions, type VolumeCopyResult } from './volume-copy.js';
export { readImageFacts, type ImageFacts } from './image-facts.js';
export { waitForImage, type WaitOptions } from './wait-for-image.js';
