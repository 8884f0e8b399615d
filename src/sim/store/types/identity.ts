/** Keystone records. Ids are 32 hex characters (Keystone's format); the default domain is `default`. */
export interface DomainRecord {
  readonly id: string;
  name: string;
  description: string;
  enabled: boolean;
}

export interface ProjectRecord {
  readonly id: string;
  name: string;
  domainId: string;
  description: string;
  enabled: boolean;
  /** v3 `parent_id` (the domain id for a top-level project in modern clouds). */
  parentId: string | null;
  tags: string[];
  /** Attributes Keystone has no column for (its `extra` JSON, v2 and v3), rendered as is. */
  extra: Record<string, unknown> | undefined;
}

export interface UserRecord {
  readonly id: string;
  name: string;
  domainId: string;
  email: string | undefined;
  description: string | undefined;
  enabled: boolean;
  /** v2 `tenantId`, v3 `default_project_id`. */
  defaultProjectId: string | undefined;
  /** ISO time; used by the DB-backed identity store and `password_expires_at: null`. */
  createdAt: string;
  /** Attributes Keystone has no column for (its `extra` JSON), set through the API and rendered as is. */
  extra?: Record<string, unknown> | undefined;
}

export interface RoleRecord {
  readonly id: string;
  name: string;
  description: string | undefined;
  /** v3 `domain_id` of a domain-specific role; null for global roles. */
  domainId: string | null;
}

/** One role grant: a user holds a role on a project or a domain. */
export interface AssignmentRecord {
  readonly userId: string;
  readonly roleId: string;
  readonly scope: { readonly kind: 'project' | 'domain'; readonly id: string };
}
