import { json } from '../../http/reply.js';
import type { CinderRoute } from './call.js';

/** `os-availability-zone` (one storage zone, `nova`) and `os-services` (admin: the scheduler and the volume service). */
export function zoneRoutes(): CinderRoute[] {
  return [
    { method: 'GET', path: '/os-availability-zone', handler: () => json(200, { availabilityZoneInfo: [{ zoneName: 'nova', zoneState: { available: true } }] }) },
    {
      method: 'GET',
      path: '/os-services',
      auth: 'admin',
      handler: (c) => {
        const host = `${c.store.name}-controller`;
        const now = c.store.now().replace(/Z$/, '.000000');
        const all = [
          { binary: 'cinder-scheduler', host, zone: 'nova', status: 'enabled', state: 'up', updated_at: now, disabled_reason: null },
          { binary: 'cinder-volume', host: `${host}@lvm`, zone: 'nova', status: 'enabled', state: 'up', updated_at: now, disabled_reason: null },
        ];
        const binary = c.req.query.get('binary');
        const wantHost = c.req.query.get('host');
        return json(200, { services: all.filter((s) => (binary === null || s.binary === binary) && (wantHost === null || s.host === wantHost)) });
      },
    },
  ];
}
