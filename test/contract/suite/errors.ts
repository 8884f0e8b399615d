import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { area } from './area.js';
import { need, type ContractRun } from './contract-run.js';
import { expectHttpError } from './expect-error.js';
import { keystoneSendsRequestIds, unauthorizedStyle } from './release-facts.js';

/** One service's read of an object that does not exist, and what the 404 must carry. */
interface Probe {
  /** In the step name; default `service`. */
  readonly label?: string;
  readonly service: string;
  readonly read: (id: string) => Promise<unknown>;
  readonly faultType?: string;
  readonly skip?: string | false;
}

/** One service's list URL, asked with a token nobody issued. */
interface Unauthorized {
  readonly service: string;
  readonly url: () => string;
}

/** Error parsing across services: 404 for an unknown id, 401 for an unknown token. */
export function errorsArea(run: ContractRun): void {
  area(run, 'errors', {}, (a) => {
    const c = () => run.cloud;
    const probes: Probe[] = [
      { service: 'identity', read: (id) => c().identity.projects.get(id), faultType: 'Not Found' },
      { service: 'compute', read: (id) => c().compute.servers.get(id), faultType: 'itemNotFound' },
      { service: 'image', read: (id) => c().image.get(id) },
      {
        service: 'volume',
        read: (id) => need(c().volume, 'Cinder in the catalog').volumes.get(id),
        faultType: 'itemNotFound',
        skip: run.target.capabilities.volume === null && `${run.target.name} has no Cinder`,
      },
      run.target.capabilities.network === 'nova-network'
        ? // nova-network's networks are Nova's (os-networks): the 404 is Nova's.
          { label: 'nova-network (Nova os-networks)', service: 'compute', read: (id) => need(c().novaNetwork, 'nova-network').networks.get(id), faultType: 'itemNotFound' }
        : { service: 'network', read: (id) => need(c().network, 'Neutron in the catalog').networks.get(id), faultType: 'NetworkNotFound' },
    ];
    for (const p of probes) {
      a.step(
        `a missing object is a 404 CloudHttpError from ${p.label ?? p.service} (status, service, request id, fault)`,
        async () => {
          const id = randomUUID();
          // Havana-Juno Keystone sends no request id (its request_id middleware is Newton's).
          const requestId = p.service !== 'identity' || (await keystoneSendsRequestIds(c()));
          const e = await expectHttpError(p.read(id), { status: 404, service: p.service, cloud: run.target.name, method: 'GET', pathIncludes: id, requestId, ...(p.faultType ? { faultType: p.faultType } : {}) });
          if (!requestId) assert.equal(e.requestId, undefined, 'a Keystone before Newton sends no request id');
          assert.equal(e.ambiguous, false, 'a GET is never ambiguous');
          assert.equal(e.source, 'cloud');
        },
        { skip: p.skip ?? false },
      );
    }

    const lists: Unauthorized[] = [
      // A v2.0 session's auth URL is `/v2.0`, which has `/tenants`, not `/projects`.
      { service: 'identity', url: () => `${c().session.authUrl}/${c().session.identityVersion === '3' ? 'projects' : 'tenants'}` },
      { service: 'compute', url: () => `${c().session.endpoint('compute')}/servers` },
      { service: 'image', url: () => `${c().session.endpoint('image').replace(/\/+$/, '')}/v${c().capabilities.imageVersion}/images` },
    ];
    if (run.target.capabilities.network !== 'nova-network') lists.push({ service: 'network', url: () => `${c().session.endpoint('network').replace(/\/+$/, '')}/v2.0/networks` });
    if (run.target.capabilities.volume !== null) lists.push({ service: 'volume', url: () => `${c().session.endpoint(c().capabilities.volumeServiceType as string)}/volumes` });
    for (const l of lists) {
      a.step(`a token ${l.service} does not know is a 401 CloudHttpError`, async () => {
        const token = `phc-not-a-token-${randomUUID()}`;
        // Keystone answers for itself (JSON on every release); the other services' auth_token
        // middleware answers plain text on Havana-Juno, JSON on modern releases.
        const style = l.service === 'identity' ? 'json' : unauthorizedStyle(c());
        // Glance's authtoken runs before the middleware that assigns request ids: no id on its 401s;
        // legacy middleware runs before every service's request-id middleware; Keystone has ids from Newton.
        const requestId = l.service === 'identity' ? await keystoneSendsRequestIds(c()) : l.service !== 'image' && style === 'json';
        const e = await expectHttpError(
          c().session.request({ service: l.service, method: 'GET', url: l.url(), authenticated: false, headers: { 'x-auth-token': token } }),
          {
            status: 401,
            service: l.service,
            cloud: run.target.name,
            method: 'GET',
            requestId,
            faultType: l.service === 'image' || style !== 'json' ? undefined : 'Unauthorized',
          },
        );
        if (style === 'plain' && l.service !== 'image') {
          assert.equal(e.faultType ?? null, null, 'a plain-text 401 has no fault type');
          assert.match(e.cloudMessage, /Authentication required/);
        }
        assert.ok(!e.message.includes(token), 'the token is not echoed');
      });
    }
  });
}
