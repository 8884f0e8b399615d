import { NailgunError, idParam, ok, type Route } from './reply.js';
import { releaseJson, taskJson } from './wire.js';

export const miscRoutes: readonly Route[] = [
  { method: 'GET', pattern: /^\/releases$/, handle: ({ world }) => ok(world.releases.map(releaseJson)) },
  {
    method: 'GET',
    pattern: /^\/releases\/(\d+)$/,
    handle: (ctx) => {
      const r = ctx.world.releases.find((x) => x.id === idParam(ctx));
      if (!r) throw new NailgunError(404, 'Release not found');
      return ok(releaseJson(r));
    },
  },
  {
    method: 'GET',
    pattern: /^\/tasks$/,
    handle: ({ world, query }) => {
      const filter = query.get('cluster_id');
      const tasks = [...world.tasks.values()].filter((t) => filter === null || filter === '' || t.clusterId === Number(filter));
      return ok(tasks.map((t) => taskJson(world, t)));
    },
  },
  {
    method: 'GET',
    pattern: /^\/tasks\/(\d+)$/,
    handle: (ctx) => {
      const t = ctx.world.tasks.get(idParam(ctx));
      if (!t) throw new NailgunError(404, 'Task not found');
      return ok(taskJson(ctx.world, t));
    },
  },
];
