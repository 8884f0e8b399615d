/**
 * Every stable error code Pumphouse can raise. Codes are the contract with operators and
 * scripts: messages may be reworded, codes never change meaning.
 */
export const ERROR_CODES = {
  PH_CONFIG_INVALID: 'the config file is malformed or violates its schema',
  PH_CONFIG_NOT_FOUND: 'the config file or a referenced clouds.yaml entry does not exist',
  PH_SECRET_UNSET: 'a ${ENV_VAR} secret reference names an unset variable',
  PH_MANIFEST_INVALID: 'the manifest is malformed or violates its schema',
  PH_AUTH_FAILED: 'a cloud rejected the credentials',
  PH_CATALOG_MISSING: 'the service catalog has no endpoint for a needed service',
  PH_CLOUD_HTTP: 'a cloud answered with an HTTP error',
  PH_CLOUD_UNREACHABLE: 'a cloud could not be reached (connection refused, reset, DNS)',
  PH_CLOUD_TIMEOUT: 'a cloud did not answer in time',
  PH_CLOUD_BAD_RESPONSE: 'a cloud answered with a body that could not be understood',
  PH_CLOUD_UNSUPPORTED: 'a cloud lacks an API feature the operation needs (release, microversion or extension)',
  PH_LIST_TRUNCATED: 'a cloud cut a list short (Keystone list_limit) and no narrower query could read it whole',
  PH_FUEL_HTTP: 'the Fuel master answered with an HTTP error',
  PH_FUEL_TASK_FAILED: 'a Fuel task (deployment, provisioning, node removal) ended in error',
  PH_IDENTITY_DB: 'the Keystone database could not be read or written',
  PH_IDENTITY_DB_SCHEMA: 'the Keystone database has no schema Pumphouse recognises',
  PH_PLAN_INVALID: 'the plan file is malformed or violates its schema',
  PH_PLAN_TAMPERED: 'the plan file does not match its recorded checksum',
  PH_PLAN_STALE: 'the plan no longer matches the state or the clouds it was made from',
  PH_PLAN_VERSION: 'the plan was made by an incompatible format or tool version',
  PH_PLAN_IO: 'the plan file could not be read or written (permissions, disk, not a file)',
  PH_PRECONDITION_FAILED: 'a fact an action was planned on no longer holds',
  PH_STATE_INVALID: 'the state file is malformed or violates its schema',
  PH_STATE_LOCKED: 'another operation holds the state lock',
  PH_STATE_IO: 'the state file could not be written',
  PH_NOT_FOUND: 'an object named on the command line does not exist',
  PH_TRANSFER_CHECKSUM: 'copied data does not match its source checksum',
  PH_TIMEOUT: 'waiting for a cloud object to reach a status took too long',
  PH_CLOUD_OBJECT_FAILED: 'a cloud object went into a failed status (image killed, volume error) while waited for',
  PH_CAPACITY: 'no destination host can take a server',
  PH_ABORTED: 'the operation was interrupted',
  PH_USAGE: 'the command line is wrong',
  PH_INTERNAL: 'a bug in Pumphouse',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Who has to act: the operator (fix input), the cloud (retry, check the cloud), or us. */
export type ErrorSource = 'user' | 'cloud' | 'internal';
