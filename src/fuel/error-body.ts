const MAX_MESSAGE = 1000;

/**
 * Nailgun's error message from a response body. Fuel 5.x/6.0 send the bare message as the
 * body (not JSON, whatever the Content-Type says); 7.0+ send `{"message": "..."}`; nginx in
 * front of the master sends HTML pages; the master's Keystone sends `{"error": {...}}`.
 * Never throws: an unknown shape becomes its (trimmed, truncated) text.
 */
export function parseFuelErrorBody(body: string): string {
  const text = body.trim();
  if (text === '') return '';
  if (text.startsWith('{') || text.startsWith('"')) {
    try {
      const doc = JSON.parse(text) as unknown;
      if (typeof doc === 'string') return clip(doc);
      if (typeof doc === 'object' && doc !== null) {
        const o = doc as Record<string, unknown>;
        if (typeof o.message === 'string') return clip(o.message);
        const err = o.error;
        if (typeof err === 'object' && err !== null) {
          const e = err as Record<string, unknown>;
          if (typeof e.message === 'string') return clip(e.message);
          if (typeof e.title === 'string') return clip(e.title);
        }
      }
    } catch {
      // a bare message that happens to start with { or ": keep it as text
    }
  }
  if (/<[a-z!/][^>]*>/i.test(text)) {
    const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
    const stripped = text.replace(/<head[\s\S]*?<\/head>/gi, ' ').replace(/<[^>]+>/g, ' ');
    return clip(title ?? stripped);
  }
  return clip(text);
}

function clip(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > MAX_MESSAGE ? `${t.slice(0, MAX_MESSAGE)}...` : t;
}
