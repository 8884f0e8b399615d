export { quotaKind } from './quota.js';
export { flavorKind, flavorSpec, sameShape, type FlavorSpec } from './flavor.js';
export { flavorAccessKind } from './flavor-access.js';
export { keypairKind } from './keypair.js';
