import type { CloudContext } from '../../cloud/context.js';
import { SimHttpError } from '../../http/errors.js';
import type { SimReply } from '../../http/reply.js';
import type { SimRequest } from '../../http/request.js';
import type { Route } from '../../http/router.js';
import type { Profile } from '../../profile.js';
import type { ServiceCall } from '../service-call.js';
import { fromSimError, glanceUnauthorized } from './errors.js';

/** One Glance request as the image handlers see it. */
export interface GlanceCall extends ServiceCall {
  /** `context.is_admin`: the admin role on the token's scope. */
  readonly isAdmin: boolean;
}

export type GlanceHandler = (c: GlanceCall) => SimReply | Promise<SimReply>;

export interface GlanceRoute {
  readonly method: Route['method'];
  readonly path: string;
  readonly handler: GlanceHandler;
}

/**
 * Glance routes with Glance's own error pages. The token is checked here rather than by the
 * framework because Glance's 401 is a webob page (JSON on Zed for JSON clients) and its
 * other errors depend on the Accept header (errors.ts); a thrown SimHttpError becomes that
 * page. Every route needs a token (only the version document does not; it is mounted apart).
 */
export function mountGlance(routes: readonly GlanceRoute[], profile: Profile): Route[] {
  return routes.map((r) => ({
    method: r.method,
    path: r.path,
    auth: 'none',
    handler: async (req: SimRequest, cloud: CloudContext): Promise<SimReply> => {
      const accept = req.header('accept');
      const rec = cloud.tokens.validate(req.header('x-auth-token'));
      if (!rec) {
        req.raw.resume();
        return glanceUnauthorized(profile, cloud.authUrl, accept);
      }
      const auth = cloud.tokens.authContext(rec);
      try {
        return await r.handler({ req, cloud, store: cloud.store, profile, auth, projectId: auth.projectId ?? '', isAdmin: auth.isAdmin });
      } catch (err) {
        if (!(err instanceof SimHttpError)) throw err;
        req.raw.resume();
        return fromSimError(profile, accept, err);
      }
    },
  }));
}

/** `Content-Type` of Glance's empty 204s (webob's default), as Zed labels them. */
export const EMPTY_HTML = { 'Content-Type': 'text/html; charset=UTF-8' } as const;
