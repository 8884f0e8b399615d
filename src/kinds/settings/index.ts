export { quotaKind } from './quota.js';
export { flavorKind, flavorSpec, sameShape, type FlavorSpec } from './flavor.js';
export { flavorAccessKind } from './flavor-access.js';
export { keypairKind } from './keypair.js';
export { keypairKindWith } from './keypair.js';
export { ownerKeypairsKind, ownerKeypairsKindWith, type ListedKeypair } from './owner-keypairs.js';
export { OwnerTokens, type OwnerTokensOptions, type SourceOwner } from './owner-token.js';
export { ownerPasswordRecoveryFile, type OwnerPasswordRecovery } from './owner-password-recovery.js';
