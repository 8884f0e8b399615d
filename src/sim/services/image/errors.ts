import { statusTitle, type SimHttpError } from '../../http/errors.js';
import { text, type SimReply } from '../../http/reply.js';
import type { Profile } from '../../profile.js';

type Format = 'json' | 'html' | 'plain';

/**
 * How webob picks an error page from the request's Accept header. Modern webob (>= 1.7)
 * matches `text/html` then `application/json` (a missing header accepts everything, so
 * HTML); legacy webob (1.2) looks for `html` or any-type and falls back to text.
 */
function formatFor(profile: Profile, accept: string | undefined): Format {
  const a = (accept ?? '').toLowerCase();
  if (!profile.glanceJsonErrors) return a.includes('html') || a.includes('*/*') ? 'html' : 'plain';
  if (accept === undefined || a.trim() === '') return 'html';
  const types = a.split(',').map((t) => t.split(';')[0]!.trim());
  if (types.some((t) => t === 'text/html' || t === 'text/*' || t === '*/*')) return 'html';
  if (types.some((t) => t === 'application/json' || t === 'application/*')) return 'json';
  return 'plain';
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A webob error page as Glance sends it (legacy-apis.md §0.2; Zed: JSON for JSON clients). */
export function glanceErrorReply(profile: Profile, accept: string | undefined, status: number, message: string, headers?: Readonly<Record<string, string>>): SimReply {
  const title = statusTitle(status);
  switch (formatFor(profile, accept)) {
    case 'json':
      return text(status, JSON.stringify({ message: `${message}<br /><br />\n\n\n`, code: `${status} ${title}`, title }), 'application/json', headers);
    case 'html':
      return text(
        status,
        `<html>\n <head>\n  <title>${status} ${title}</title>\n </head>\n <body>\n  <h1>${status} ${title}</h1>\n  ${escapeHtml(message)}<br /><br />\n\n\n\n </body>\n</html>`,
        'text/html; charset=UTF-8',
        headers,
      );
    case 'plain':
      return text(status, `${status} ${title}\n\n${message}\n\n   `, 'text/plain; charset=UTF-8', headers);
  }
}

export function fromSimError(profile: Profile, accept: string | undefined, err: SimHttpError): SimReply {
  return glanceErrorReply(profile, accept, err.status, err.message, err.headers);
}

const UNAUTHORIZED =
  'This server could not verify that you are authorized to access the document you requested. Either you supplied the wrong credentials ' +
  '(e.g., bad password), or your browser does not understand how to supply the credentials required.';

/**
 * The 401 of Glance's auth_token middleware: legacy keystoneclient middleware answers plain
 * `Authentication required`; Zed's arrives as a webob page in the format above. Both carry
 * `WWW-Authenticate`.
 */
export function glanceUnauthorized(profile: Profile, authUrl: string, accept: string | undefined): SimReply {
  if (!profile.glanceJsonErrors) return text(401, 'Authentication required', 'text/plain; charset=UTF-8', { 'WWW-Authenticate': `Keystone uri='${authUrl}'` });
  return glanceErrorReply(profile, accept, 401, UNAUTHORIZED, { 'WWW-Authenticate': `Keystone uri="${authUrl}"` });
}
