/**
 * Turns an OpenStack error body into one message. Every service has its own shape
 * (legacy-apis.md §0.2); this reads all of them so errors say what the cloud said.
 */
export interface CloudFault {
  /** The cloud's explanation, whitespace collapsed, at most MAX_MESSAGE characters. */
  readonly message: string;
  /** Nova/Cinder faultName, NeutronError `type`, Keystone `title`; undefined otherwise. */
  readonly type: string | undefined;
}

const MAX_MESSAGE = 1000;

/**
 * Reads the error body of any OpenStack service (and Nailgun):
 * - Keystone `{"error": {"code", "title", "message"}}`
 * - Nova/Cinder `{"<faultName>": {"code", "message"}}`
 * - Neutron `{"NeutronError": {"type", "message", "detail"}}` or `{"NeutronError": "msg"}`
 * - API-WG `{"errors": [{"title", "detail"}]}` (placement, newer services)
 * - Nailgun: a bare JSON string
 * - Glance: webob plain text or HTML (`404 Not Found\n\n<explanation>`)
 * Never throws: an unknown shape becomes its (truncated) text.
 */
export function parseErrorBody(body: string): CloudFault {
  const text = body.trim();
  if (text === '') return { message: '', type: undefined };
  const first = text[0];
  if (first === '{' || first === '"' || first === '[') {
    try {
      return fromJson(JSON.parse(text) as unknown, text);
    } catch {
      // not JSON after all: fall through to the text reading
    }
  }
  return { message: clip(fromText(text)), type: undefined };
}

function fromJson(doc: unknown, raw: string): CloudFault {
  if (typeof doc === 'string') return { message: clip(doc), type: undefined };
  if (!isRecord(doc)) return { message: clip(raw), type: undefined };

  const neutron = doc['NeutronError'];
  if (typeof neutron === 'string') return { message: clip(neutron), type: undefined };
  if (isRecord(neutron)) {
    const detail = stringOf(neutron['detail']);
    const message = stringOf(neutron['message']) ?? raw;
    return { message: clip(detail ? `${message} (${detail})` : message), type: stringOf(neutron['type']) };
  }

  const keystone = doc['error'];
  if (isRecord(keystone) && (keystone['message'] !== undefined || keystone['title'] !== undefined)) {
    return { message: clip(stringOf(keystone['message']) ?? stringOf(keystone['title']) ?? raw), type: stringOf(keystone['title']) };
  }

  const errors = doc['errors'];
  if (Array.isArray(errors) && isRecord(errors[0])) {
    const e = errors[0];
    return { message: clip(stringOf(e['detail']) ?? stringOf(e['title']) ?? raw), type: stringOf(e['title']) ?? stringOf(e['code']) };
  }

  const top = stringOf(doc['message']);
  if (top !== undefined) return { message: clip(top), type: stringOf(doc['type']) ?? stringOf(doc['title']) };

  // Nova and Cinder: a single key (the fault name) holding {code, message}.
  const keys = Object.keys(doc);
  if (keys.length === 1) {
    const key = keys[0] as string;
    const fault = doc[key];
    if (isRecord(fault) && (fault['message'] !== undefined || fault['code'] !== undefined)) {
      return { message: clip(stringOf(fault['message']) ?? raw), type: key };
    }
  }
  return { message: clip(raw), type: undefined };
}

function fromText(text: string): string {
  let t = text;
  if (/<[a-z!/][^>]*>/i.test(t)) {
    t = t
      .replace(/<head[\s\S]*?<\/head>/gi, ' ')
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(p|h\d|div|li|title)>/gi, '\n')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&nbsp;/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  }
  const lines = t
    .split(/\r?\n/)
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter((l) => l !== '');
  // webob pages start with the status line ("404 Not Found"); the explanation follows it.
  const rest = lines.length > 1 && /^\d{3} [A-Za-z]/.test(lines[0] as string) ? lines.slice(1) : lines;
  const deduped = rest.filter((l, i) => l !== rest[i - 1]);
  return deduped.join(' ');
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > MAX_MESSAGE ? `${one.slice(0, MAX_MESSAGE - 1)}…` : one;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}
