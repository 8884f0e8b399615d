// Simulator scale bench: one simulated cloud holding N tenants x 10 servers (default 10,000 x
// 10 = 100,000 servers, with everything else the generator makes: users, keypairs, security
// groups, networks, ports, volumes, floating IPs), then, when a compute service is
// registered, pages through GET /compute/.../servers/detail?all_tenants=1 with limit=1000.
// Prints generation time, RSS and heap, and the paging time per page.
//
//   node --import tsx --expose-gc bench/sim-scale.ts [tenants] [release:network]
import { performance } from 'node:perf_hooks';
import { generate, parseProfile, startSimCloud } from '../src/sim/index.js';

const tenants = Number(process.argv[2] ?? 10_000);
const profile = parseProfile(process.argv[3] ?? 'modern:neutron');
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

gc();
const base = process.memoryUsage();
const hosts = Array.from({ length: 100 }, (_, i) => `node-${i + 2}`);
const cloud = await startSimCloud({ release: profile.release, network: profile.network, computeHosts: hosts, hashCost: 'fast' }, { name: 'source', seed: 1 });
const t0 = performance.now();
const g = await generate(cloud.store, { tenants, serversPerTenant: 10, usersPerTenant: 1, volumesPerTenant: 1, imagesPerTenant: 0, floatingIpsPerTenant: 1 });
const genMs = performance.now() - t0;
gc();
const after = process.memoryUsage();
console.log(`profile ${profile.label}: generated ${JSON.stringify(g.counts)}`);
console.log(`generate: ${(genMs / 1000).toFixed(1)} s (${((genMs / g.counts['servers']!) * 1000).toFixed(0)} us/server)`);
console.log(`memory after generate (after gc): rss ${mb(after.rss)} (+${mb(after.rss - base.rss)}), heapUsed ${mb(after.heapUsed)} (+${mb(after.heapUsed - base.heapUsed)}), ${Math.round((after.heapUsed - base.heapUsed) / g.counts['servers']!)} B heap/server`);
console.log(`budget: 100,000 servers under 1 GB RSS -> ${after.rss < 1024 ** 3 ? 'within' : 'OVER'} (rss ${mb(after.rss)})`);

if (!cloud.services().includes('compute')) {
  console.log('paging: skipped, no compute service is registered in src/sim/services/index.ts yet');
} else {
  const login = await fetch(`${cloud.authUrlV3}/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: 'admin' } } }, scope: { project: { name: 'admin', domain: { id: 'default' } } } } }),
  });
  const token = login.headers.get('x-subject-token')!;
  const body = (await login.json()) as { token: { catalog: Array<{ type: string; endpoints: Array<{ interface: string; url: string }> }> } };
  const computeUrl = body.token.catalog.find((s) => s.type === 'compute')!.endpoints.find((e) => e.interface === 'public')!.url;
  let url: string | undefined = `${computeUrl}/servers/detail?all_tenants=1&limit=1000`;
  let pages = 0;
  let servers = 0;
  const t1 = performance.now();
  const seen = new Set<string>();
  while (url) {
    const res = await fetch(url, { headers: { 'X-Auth-Token': token } });
    if (res.status !== 200) throw new Error(`page ${pages + 1}: HTTP ${res.status} ${await res.text()}`);
    const page = (await res.json()) as { servers: Array<{ id: string }>; servers_links?: Array<{ rel: string; href: string }> };
    for (const s of page.servers) seen.add(s.id);
    servers += page.servers.length;
    pages++;
    url = page.servers_links?.find((l) => l.rel === 'next')?.href;
    if (page.servers.length === 0) break;
  }
  const pageMs = performance.now() - t1;
  console.log(`paging: ${servers} servers (${seen.size} distinct) in ${pages} pages, ${(pageMs / 1000).toFixed(1)} s (${(pageMs / pages).toFixed(0)} ms/page); rss ${mb(process.memoryUsage().rss)}`);
}
await cloud.close();
