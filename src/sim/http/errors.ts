/**
 * An HTTP error a handler throws; the framework renders it in the service's own error format
 * (legacy-apis.md §0.2). Handlers never build error bodies by hand.
 */
export class SimHttpError extends Error {
  override readonly name = 'SimHttpError';
  constructor(
    readonly status: number,
    message: string,
    /** Neutron's `NeutronError.type` (e.g. `NetworkNotFound`); ignored by other formats. */
    readonly errorType?: string,
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, type?: string) => new SimHttpError(400, message, type ?? 'HTTPBadRequest');
export const unauthorized = (message = 'The request you have made requires authentication.') => new SimHttpError(401, message, 'HTTPUnauthorized');
export const forbidden = (message = 'Policy does not allow this operation.', type?: string) => new SimHttpError(403, message, type ?? 'PolicyNotAuthorized');
export const notFound = (message: string, type?: string) => new SimHttpError(404, message, type ?? 'HTTPNotFound');
export const conflict = (message: string, type?: string) => new SimHttpError(409, message, type ?? 'Conflict');
export const notImplemented = (message: string) => new SimHttpError(501, message, 'NotImplemented');
export const unprocessable = (message: string) => new SimHttpError(422, message, 'HTTPUnprocessableEntity');

/** Error format of a service (legacy-apis.md §0.2). */
export type ErrorStyle = 'keystone' | 'nova' | 'cinder' | 'neutron' | 'glance' | 'plain';

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

/** Nova/Cinder `Fault._fault_names`; any other status is `computeFault`. */
const FAULT_NAMES: Readonly<Record<number, string>> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

export const statusTitle = (status: number): string => TITLES[status] ?? 'Error';

/** Body, content type of an error in a given style. */
export function renderError(style: ErrorStyle, status: number, message: string, errorType?: string): { readonly contentType: string; readonly body: string } {
  switch (style) {
    case 'keystone':
      return json({ error: { code: status, title: statusTitle(status), message } });
    case 'nova':
    case 'cinder':
      return json({ [FAULT_NAMES[status] ?? 'computeFault']: { code: status, message } });
    case 'neutron':
      return json({ NeutronError: { type: errorType ?? neutronType(status), message, detail: '' } });
    case 'glance':
      // webob's plain error page: "404 Not Found\n\n<explanation>\n\n   "
      return { contentType: 'text/plain; charset=UTF-8', body: `${status} ${statusTitle(status)}\n\n${message}\n\n   ` };
    case 'plain':
      return { contentType: 'text/plain; charset=UTF-8', body: message };
  }
}

function neutronType(status: number): string {
  if (status === 404) return 'HTTPNotFound';
  if (status === 409) return 'Conflict';
  if (status === 400) return 'HTTPBadRequest';
  if (status === 503) return 'ServiceUnavailable';
  return 'HTTPInternalServerError';
}

const json = (value: unknown) => ({ contentType: 'application/json', body: JSON.stringify(value) });
