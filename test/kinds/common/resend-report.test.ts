import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { HumanReporter, MemoryReporter } from '../../../src/events/index.js';
import { CloudHttpError, CloudTransportError } from '../../../src/openstack/index.js';
import { reportingResends } from '../../../src/kinds/common/resend-report.js';
import { sendSettled } from '../../../src/kinds/common/settle.js';

const lost = (status: number) =>
  new CloudHttpError({ status, ambiguous: true, cloud: 'destination', service: 'network', method: 'POST', path: '/v2.0/ports?name=web', requestId: 'req-1', cloudMessage: 'boom', faultType: undefined });
const cut = () =>
  new CloudTransportError('PH_CLOUD_UNREACHABLE', 'socket hang up', { cloud: 'destination', service: 'network', method: 'POST', path: '/v2.0/ports', requestId: undefined, ambiguous: true });
const noSleep = { sleep: async () => undefined };

describe('request_resent (settle-and-resend reported)', () => {
  it('each resend inside a step scope is one warn event: address, step, service, method, path without query, status, attempt', async () => {
    const reporter = new MemoryReporter();
    const failures = [lost(500), cut()];
    const r = await reportingResends({ reporter, address: 'network_port.web', step: 'create' }, () =>
      sendSettled(
        async () => {
          const f = failures.shift();
          if (f) throw f;
          return 'port-1';
        },
        async () => undefined,
        noSleep,
      ),
    );
    assert.deepEqual(r, { value: 'port-1', sent: true });
    const events = reporter.ofType('request_resent');
    assert.deepEqual(
      events.map(({ address, step, cloud, service, method, path, status, attempt }) => ({ address, step, cloud, service, method, path, status, attempt })),
      [
        { address: 'network_port.web', step: 'create', cloud: 'destination', service: 'network', method: 'POST', path: '/v2.0/ports', status: 500, attempt: 2 },
        { address: 'network_port.web', step: 'create', cloud: 'destination', service: 'network', method: 'POST', path: '/v2.0/ports', status: null, attempt: 3 },
      ],
    );
    assert.ok(events.every((e) => e['@level'] === 'warn'));
    assert.match(events[0]!['@message'], /^network_port\.web: destination network POST \/v2\.0\/ports failed ambiguously \(HTTP 500\) and 3 lookups found no effect: sending it again \(attempt 2 of 5\)$/);
  });

  it('nothing when a lookup adopts the effect, when the first send answers, or outside any scope', async () => {
    const reporter = new MemoryReporter();
    let sent = 0;
    await reportingResends({ reporter, address: 'a' }, async () => {
      await sendSettled(async () => 'ok', async () => undefined, noSleep);
      await sendSettled(
        async () => {
          throw lost(503);
        },
        async () => 'found',
        noSleep,
      );
    });
    await sendSettled(
      async () => {
        if (sent++ === 0) throw lost(500);
        return 'x';
      },
      async () => undefined,
      noSleep,
    );
    assert.deepEqual(reporter.events, []);
  });

  it('an explicit report scope is used outside the step runner; the text reporter shows a warning line', async () => {
    const reporter = new MemoryReporter();
    let sent = 0;
    await sendSettled(
      async () => {
        if (sent++ === 0) throw lost(502);
        return 'x';
      },
      async () => undefined,
      { ...noSleep, report: { reporter } },
    );
    const [e] = reporter.ofType('request_resent');
    assert.equal(e?.address, null);
    const out = new PassThrough();
    let text = '';
    out.on('data', (b: Buffer) => (text += b.toString()));
    new HumanReporter(out, { color: false, tty: false, verbose: false }).emit(e!);
    assert.match(text, /^warning: destination network POST \/v2\.0\/ports failed ambiguously \(HTTP 502\)/);
    assert.doesNotMatch(text, /req-1|name=web/);
  });
});
