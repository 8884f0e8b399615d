export { generate, type GeneratorOptions, type GeneratedCloud, type GeneratedTenant, type GeneratedUser } from './generate.js';
export { generatedPassword, tenantName, publicKeyFor } from './names.js';
