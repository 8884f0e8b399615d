/** The volume kind (data through Glance) and the temporaries helpers the server kind shares. */
export { volumeKind } from './volume-kind.js';
export { cleanTemporaries, type TemporaryKey } from './temporaries.js';
export { copyTemporaryImage, type TemporaryCopy, type CopiedTemporary } from './temporary-copy.js';
