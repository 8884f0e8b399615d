export type * from './identity.js';
export type * from './compute.js';
export type * from './image.js';
export type * from './volume.js';
export type * from './network.js';
export type * from './nova-network.js';
export type * from './quota.js';
