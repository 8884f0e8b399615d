/** Identity records, the same for Keystone v2.0 and v3. v2.0 objects live in domain `default`. */
export interface Domain {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly enabled: boolean;
}

export interface Project {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly domainId: string;
  /** v3 hierarchy parent (the domain id for top-level projects on modern Keystone); null on v2.0. */
  readonly parentId: string | null;
}

export interface User {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly enabled: boolean;
  /** v3 `default_project_id`, v2.0 `tenantId`. */
  readonly defaultProjectId: string | null;
  readonly domainId: string;
  readonly description: string | null;
}

export interface Role {
  readonly id: string;
  readonly name: string;
}

/**
 * A grant pumphouse does not migrate (Keystone v3): a group's role on a project or a domain, a
 * user's role on a domain, or a role inherited to the projects under a project or domain
 * (OS-INHERIT). Discovery reads them so that the plan can say what is left behind.
 */
export interface OtherGrant {
  readonly holder: 'user' | 'group';
  readonly holderId: string;
  readonly roleId: string;
  readonly scope: 'project' | 'domain';
  readonly scopeId: string;
  readonly inherited: boolean;
}

/** What a role_assignments list holds: direct user grants on projects, and the others. */
export interface Grants {
  readonly direct: RoleAssignment[];
  readonly others: OtherGrant[];
}

export interface Group {
  readonly id: string;
  readonly name: string;
  readonly domainId: string;
}

/** A user's role on a project (domain and group grants are out of scope). */
export interface RoleAssignment {
  readonly userId: string;
  readonly projectId: string;
  readonly roleId: string;
}

export interface ProjectInput {
  readonly name: string;
  readonly description?: string;
  readonly enabled?: boolean;
  /** v3 only; default `default`. */
  readonly domainId?: string;
}

export interface UserInput {
  readonly name: string;
  readonly password?: string;
  readonly email?: string | null;
  readonly enabled?: boolean;
  readonly defaultProjectId?: string | null;
  /** v3 only; default `default`. */
  readonly domainId?: string;
  readonly description?: string;
}

export type ProjectPatch = Partial<Omit<ProjectInput, 'domainId'>>;
export type UserPatch = Partial<Omit<UserInput, 'domainId' | 'name'>> & { readonly name?: string };
