import { PumphouseError } from '../../errors/index.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { kindHandler } from '../common/handler.js';
import type { DataKindSettings } from '../image/data-options.js';
import { dataStep, type DataStep } from '../image/data-step.js';
import { deleteServer, findServer, serverOrNull } from '../server/server-copy.js';
import { changePower, waitSettled } from '../server/source-power.js';

/**
 * What becomes of the source server once its destination copy runs (manifest
 * `source_after`): `keep` is a no-op (planned so), `stop` powers it off, `delete` deletes
 * it (its volumes stay; Nova only detaches them). Both first re-check the cut-over: the
 * destination copy (found by marker, in the migrated project) must exist, be ACTIVE (or
 * SHUTOFF, the state the planner gives a copy of a stopped source), have no fault and no
 * task running; otherwise PH_PRECONDITION_FAILED and the source is left alone. Deleting
 * is irreversible: it never happens on a guess.
 */
export function sourceAfterKind(settings: DataKindSettings): KindHandler {
  const run = (step: (s: DataStep) => Promise<StepResult>) => (action: Action, ctx: StepContext) => step(dataStep(action, ctx, settings));
  return kindHandler('source_after', { stop: { stop: run(stopSource) }, delete: { delete: run(deleteSource) } });
}

async function stopSource(s: DataStep): Promise<StepResult> {
  const copy = await cutOverGuard(s);
  const servers = (await s.ctx.clouds.source()).compute.servers;
  const id = sourceServerId(s);
  let sv = await waitSettled(s, servers, id, s.settings.quiesceTimeoutS);
  // Nova stops only ACTIVE (or ERROR) servers: a suspended or paused one runs for a moment first.
  if (sv.status === 'SUSPENDED') sv = await changePower(s, servers, id, 'resume', s.settings.quiesceTimeoutS);
  if (sv.status === 'PAUSED') sv = await changePower(s, servers, id, 'unpause', s.settings.quiesceTimeoutS);
  if (sv.status === 'ACTIVE' || sv.status === 'ERROR') sv = await changePower(s, servers, id, 'stop', s.settings.quiesceTimeoutS);
  if (sv.status !== 'SHUTOFF') {
    throw new PumphouseError('PH_CLOUD_OBJECT_FAILED', `${s.address}: source server ${id} is ${sv.status}, it could not be stopped`, {
      address: s.address,
      source: 'cloud',
      details: { server_id: id, status: sv.status },
    });
  }
  return { destinationId: id, outputs: { status: 'SHUTOFF', destination_server: copy } };
}

async function deleteSource(s: DataStep): Promise<StepResult> {
  const copy = await cutOverGuard(s);
  const source = await s.ctx.clouds.source();
  const id = sourceServerId(s);
  if (await serverOrNull(source, id)) await deleteServer(s, source, id, s.settings.quiesceTimeoutS);
  return { destinationId: id, outputs: { status: 'DELETED', destination_server: copy } };
}

function sourceServerId(s: DataStep): string {
  const id = s.action.after?.['server_id'];
  return typeof id === 'string' && id !== '' ? id : s.sourceId;
}

/**
 * The destination copy of the source server, verified fit to take over; answers its id.
 * It is looked up by marker (source id, kind `server`) among the destination's servers of
 * the source server's name, in every project.
 */
async function cutOverGuard(s: DataStep): Promise<string> {
  const id = sourceServerId(s);
  const name = s.action.source?.name ?? '';
  const destination = await s.ctx.clouds.destination();
  const found = await findServer(destination, { marker: { sourceId: id, kind: 'server' }, knownId: null, name, projectId: null });
  const problem = !found
    ? 'no destination server carries its marker'
    : found.status !== 'ACTIVE' && found.status !== 'SHUTOFF'
      ? `its destination copy ${found.id} is ${found.status}`
      : found.fault
        ? `its destination copy ${found.id} reports a fault: ${found.fault.message}`
        : found.taskState
          ? `its destination copy ${found.id} is busy (${found.taskState})`
          : null;
  if (problem || !found) {
    throw new PumphouseError('PH_PRECONDITION_FAILED', `${s.address}: the source server ${id} is left as it is: ${problem}`, {
      address: s.address,
      details: { server_id: id, destination_server: found?.id ?? null },
    });
  }
  return found.id;
}
