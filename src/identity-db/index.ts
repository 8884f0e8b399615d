export { parseKeystoneDbUrl, showUrl, type KeystoneDbUrl } from './db-url.js';
export { openIdentityDb, type IdentityDb, type IdentityDbOptions } from './identity-db.js';
export { PasswordHash, detectHashAlgorithm, type HashAlgorithm } from './password-hash.js';
export { hashVerifiable, parseKeystoneRelease, type KeystoneRelease } from './keystone-release.js';
export { layoutFromColumns, type ColumnRow, type SchemaKind, type SchemaLayout } from './schema.js';
export type { WriteOutcome } from './password-rows.js';
