/**
 * How to log in to one OpenStack cloud as its administrator. Produced by config/ (from the
 * seed config, clouds.yaml or OS_* variables) and consumed by openstack/Session. The password
 * lives only in memory: it is never written to a plan, state, log or error.
 */
export interface CloudCredentials {
  /** Keystone URL as the operator wrote it: `.../v2.0`, `.../v3`, or unversioned (discovered). */
  readonly authUrl: string;
  readonly username: string;
  readonly password: string;
  /** Project (v3) or tenant (v2.0) to scope the admin token to. */
  readonly projectName?: string;
  readonly projectId?: string;
  /** v3 only; default `Default` / `default`. */
  readonly userDomainName?: string;
  readonly userDomainId?: string;
  readonly projectDomainName?: string;
  readonly projectDomainId?: string;
  /** Catalog filters. */
  readonly region?: string;
  readonly interface?: 'public' | 'internal' | 'admin';
  /** TLS: a CA bundle path, or skip verification. */
  readonly cacert?: string;
  readonly insecure?: boolean;
}
