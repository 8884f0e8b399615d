import { splitVersion } from '../http/url.js';
import type { Session } from '../session/session.js';

/** Catalog types in order of preference (legacy-apis.md §0.1, §4; Zed has `volumev3` and `block-storage`). */
const PREFERENCE: ReadonlyArray<readonly [string, '1' | '2' | '3']> = [
  ['volumev3', '3'],
  ['block-storage', '3'],
  ['volumev2', '2'],
  ['volume', '1'],
];

export interface VolumeEndpoint {
  readonly type: string;
  readonly version: '1' | '2' | '3';
  /** The versioned, project-scoped URL for a session (scoped sessions have their own). */
  url(session: Session): string;
}

/**
 * The best Cinder API in the catalog: v3 > v2 > v1. The URL's own version segment wins over
 * the type (some clouds register v3 as `volume`); an unversioned URL (`block-storage` is
 * often registered bare) gets `/v<N>/<project id>` appended. undefined when there is no Cinder.
 */
export function pickVolumeEndpoint(session: Session): VolumeEndpoint | undefined {
  for (const [type, byType] of PREFERENCE) {
    if (!session.hasEndpoint(type)) continue;
    const split = splitVersion(session.endpoint(type));
    const fromUrl = split?.version.match(/^v([123])/)?.[1] as '1' | '2' | '3' | undefined;
    const version = fromUrl ?? byType;
    // Asked on every Cinder call: the answer per catalog URL and project is kept (a URL parse less).
    const known = new Map<string, string>();
    return {
      type,
      version,
      url: (s: Session) => {
        const raw = s.endpoint(type);
        const key = `${raw}\n${s.projectId ?? ''}`;
        let url = known.get(key);
        if (url === undefined) {
          const trimmed = raw.replace(/\/+$/, '');
          url = splitVersion(trimmed) ? trimmed : `${trimmed}/v${version}/${s.projectId ?? ''}`;
          known.set(key, url);
        }
        return url;
      },
    };
  }
  return undefined;
}
