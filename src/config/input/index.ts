export { didYouMean, editDistance } from './did-you-mean.js';
export { formatField, pathStartsWith, pointerToPath, type FieldPath } from './field-path.js';
export { invalidInput } from './invalid-input.js';
export { checkSchema, hasUnknownKey, sortProblems, type SchemaCheck, type SchemaCheckOptions } from './schema-problems.js';
export { isHostName, isHttpUrl, isMysqlUrl, schemasDir, schemaValidator } from './schema-store.js';
export { parseYamlInput, readYamlInput, type ReadYamlOptions, type YamlInput } from './yaml-input.js';
