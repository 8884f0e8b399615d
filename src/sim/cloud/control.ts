import type { IncomingMessage, ServerResponse } from 'node:http';
import { faultRuleProblems, knobProblems, type FaultRules, type SimKnobs } from '../knobs.js';
import { parseJson, readBody } from '../http/request.js';
import type { SimStats } from '../stats.js';

/** What the control endpoint can do to its cloud (the same methods as the in-process handle). */
export interface ControlTarget {
  readonly knobs: SimKnobs;
  setKnobs(patch: Partial<SimKnobs>): SimKnobs;
  setFaults(rules: FaultRules): void;
  expireTokens(): number;
  stats(): SimStats;
  resetStats(): void;
  addComputeHost(name: string): void;
  removeComputeHost(name: string): boolean;
  markHostDown(name: string, down?: boolean): boolean;
  settle(): Promise<void>;
  pendingTransitions(): number;
}

/**
 * `/_sim/*`: the simulator's own API, for tests and operators, unauthenticated (the server
 * listens on 127.0.0.1 only).
 *
 * GET|PUT /_sim/knobs (PUT merges), GET|PUT|DELETE /_sim/faults (PUT replaces),
 * POST /_sim/expire-tokens, GET|DELETE /_sim/stats, POST /_sim/settle,
 * POST /_sim/hosts {"name"} (add), DELETE /_sim/hosts/{name}, PUT /_sim/hosts/{name} {"down": bool}.
 */
export async function control(target: ControlTarget, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const method = req.method ?? 'GET';
  const send = (status: number, body?: unknown) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };
  const body = async (): Promise<Record<string, unknown>> => {
    const v = parseJson<unknown>(await readBody(req), true);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('body must be a JSON object');
    return v as Record<string, unknown>;
  };
  try {
    const host = /^\/_sim\/hosts\/([^/]+)$/.exec(path);
    if (path === '/_sim/knobs' && method === 'GET') return send(200, target.knobs);
    if (path === '/_sim/knobs' && method === 'PUT') {
      const patch = await body();
      const problems = knobProblems(patch);
      if (problems.length > 0) return send(400, { error: problems.join('; ') });
      return send(200, target.setKnobs(patch as Partial<SimKnobs>));
    }
    if (path === '/_sim/faults' && method === 'GET') return send(200, target.knobs.faults);
    if (path === '/_sim/faults' && method === 'PUT') {
      const rules = await body();
      const problems = faultRuleProblems(rules);
      if (problems.length > 0) return send(400, { error: problems.join('; ') });
      target.setFaults(rules as FaultRules);
      return send(200, target.knobs.faults);
    }
    if (path === '/_sim/faults' && method === 'DELETE') {
      target.setFaults({});
      return send(204);
    }
    if (path === '/_sim/expire-tokens' && method === 'POST') return send(200, { expired: target.expireTokens() });
    if (path === '/_sim/stats' && method === 'GET') return send(200, { ...target.stats(), pending_transitions: target.pendingTransitions() });
    if (path === '/_sim/stats' && method === 'DELETE') {
      target.resetStats();
      return send(204);
    }
    if (path === '/_sim/settle' && method === 'POST') {
      await target.settle();
      return send(204);
    }
    if (path === '/_sim/hosts' && method === 'POST') {
      const name = (await body())['name'];
      if (typeof name !== 'string' || name === '') return send(400, { error: 'name is required' });
      target.addComputeHost(name);
      return send(201, { name });
    }
    if (host && method === 'DELETE') return target.removeComputeHost(decodeURIComponent(host[1]!)) ? send(204) : send(404, { error: 'no such host' });
    if (host && method === 'PUT') {
      const down = (await body())['down'];
      return target.markHostDown(decodeURIComponent(host[1]!), down !== false) ? send(200, { name: host[1], down: down !== false }) : send(404, { error: 'no such host' });
    }
    return send(404, { error: `no control endpoint ${method} ${path}` });
  } catch (err) {
    return send(400, { error: err instanceof Error ? err.message : String(err) });
  }
}
