import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { PumphouseError } from '../../errors/index.js';
import { schemasDir } from '../../package-info.js';

/** The package's schemas/ folder (re-exported for the config and manifest loaders). */
export { schemasDir };

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** SQLAlchemy MySQL URLs the seed used: `mysql://`, `mysql+pymysql://`, `mysql+mysqlconnector://`. */
export function isMysqlUrl(value: string): boolean {
  const match = /^mysql(\+(pymysql|mysqlconnector|mysqldb))?:\/\//.exec(value);
  if (!match) return false;
  try {
    // `new URL` does not know the scheme but still splits user, host and path.
    const url = new URL(value);
    return url.hostname !== '' && url.pathname.length > 1;
  } catch {
    return false;
  }
}

/** A host name or IP address, without scheme, port or path. */
export function isHostName(value: string): boolean {
  return /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|[0-9a-fA-F:]+:[0-9a-fA-F:.]*)$/.test(value);
}

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

/**
 * The compiled validator for `schemas/<name>.schema.json`. Ajv runs strict (typos in the
 * schema itself fail loudly), reports all errors, and keeps the failing sub-schema
 * (`verbose`) so messages can list the allowed keys and use the schema's `x-message`.
 */
export function schemaValidator(name: string): ValidateFunction {
  const cached = compiled.get(name);
  if (cached) return cached;
  ajv ??= makeAjv();
  const file = join(schemasDir(), `${name}.schema.json`);
  let schema: unknown;
  try {
    schema = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PumphouseError('PH_INTERNAL', `cannot read the schema ${file}`, { source: 'internal', cause: err });
  }
  const validate = ajv.compile(schema as object);
  compiled.set(name, validate);
  return validate;
}

function makeAjv(): Ajv {
  const instance = new Ajv({ strict: true, allErrors: true, verbose: true, allowUnionTypes: true });
  // Our own annotation: the message to show when this (sub-)schema fails.
  instance.addKeyword({ keyword: 'x-message', schemaType: 'string' });
  instance.addFormat('http-url', isHttpUrl);
  instance.addFormat('mysql-url', isMysqlUrl);
  instance.addFormat('host-name', isHostName);
  return instance;
}
