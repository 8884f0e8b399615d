import type { Problem } from '../errors/index.js';
import { actionSchemaProblems } from './schema.js';
import { secretProblems } from './secret-scan.js';

/**
 * What is wrong with one spilled action, from its text (the canonical text without its two
 * holes, see ActionSpill): the plan schema's `action` definition and the secret scan, as the
 * spill checks an action it writes itself. Problems name the action by address
 * (`/actions/<address>/...`) and never quote a value.
 *
 * `depends_on` and `reason` are not in the text (they change until the plan is written, and
 * the plan writer checks them then): schema-valid stand-ins take their place here.
 */
export function spilledTextProblems(text: string): Problem[] {
  return spilledBodyProblems(JSON.parse(text) as Record<string, unknown>);
}

/**
 * spilledTextProblems() of an action already parsed (its JSON form). Its `depends_on` and
 * `reason`, present or not, are replaced by the stand-ins (`body` is changed): they are checked
 * when the plan is written, where the secret scan sees them too.
 */
export function spilledBodyProblems(body: Record<string, unknown>): Problem[] {
  const address = typeof body['address'] === 'string' ? body['address'] : '';
  body['depends_on'] = NO_DEPENDENCIES;
  body['reason'] = STAND_IN_REASON;
  // The stand-ins hold no secret-looking string: the scan finds what the spilled text holds.
  const secrets = secretProblems(body, undefined, ['actions', address]);
  const schema = actionSchemaProblems(body, actionPointer(address));
  return schema.length === 0 ? secrets : [...schema, ...secrets];
}

const NO_DEPENDENCIES: readonly string[] = Object.freeze([]);
const STAND_IN_REASON = Object.freeze({ code: 'spilled', text: 'checked when the plan is written' });

/** The JSON pointer of an action named by address (`/actions/<address>`, escaped). */
export function actionPointer(address: string): string {
  return `/actions/${address.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
