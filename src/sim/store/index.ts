/** The in-memory cloud model: tables of typed records, ids, pools, data. */
export { SimStore, IdSource, type StoreOptions } from './store.js';
export { Table } from './table.js';
export { IdentityStore, MemoryPasswordVault, type PasswordVault } from './identity-store.js';
export { SqlPasswordVault } from './sql-password-vault.js';
export { addComputeHost, removeComputeHost, markHostDown, serviceState } from './hosts.js';
export { bootstrapCloud, addNovaNetwork, DEFAULT_FLAVORS, type AdminLogin, type BootstrapOptions } from './bootstrap.js';
export { AddressPool, parseCidr, ipToInt, intToIp, cidrContains, macFrom } from './addresses.js';
export { BlobStore, generatedStream, checksums, throttle } from './data.js';
export type * from './types/identity.js';
export type * from './types/compute.js';
export type * from './types/network.js';
export type * from './types/image.js';
export type * from './types/volume.js';
