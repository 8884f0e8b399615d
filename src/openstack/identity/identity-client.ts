import type { IdentityVersion } from '../session/identity-discovery.js';
import type { Domain, Grants, Group, Project, ProjectInput, ProjectPatch, Role, RoleAssignment, User, UserInput, UserPatch } from '../types/identity.js';

export interface ProjectFilter {
  readonly domainId?: string;
  readonly name?: string;
}

export interface ProjectsApi {
  list(filter?: ProjectFilter): Promise<Project[]>;
  iterate(filter?: ProjectFilter): AsyncIterable<Project>;
  get(id: string): Promise<Project>;
  /** undefined when no project has that name (in that domain, v3). */
  findByName(name: string, domainId?: string): Promise<Project | undefined>;
  create(input: ProjectInput): Promise<Project>;
  update(id: string, patch: ProjectPatch): Promise<Project>;
  delete(id: string): Promise<void>;
}

export interface UsersApi {
  list(filter?: ProjectFilter): Promise<User[]>;
  iterate(filter?: ProjectFilter): AsyncIterable<User>;
  get(id: string): Promise<User>;
  findByName(name: string, domainId?: string): Promise<User | undefined>;
  create(input: UserInput): Promise<User>;
  update(id: string, patch: UserPatch): Promise<User>;
  /** Admin password reset (v3 PATCH user, v2.0 OS-KSADM/password). */
  setPassword(id: string, password: string): Promise<void>;
  delete(id: string): Promise<void>;
}

export interface RolesApi {
  list(): Promise<Role[]>;
  findByName(name: string): Promise<Role | undefined>;
  create(name: string): Promise<Role>;
  delete(id: string): Promise<void>;
}

export interface RoleAssignmentFilter {
  readonly userId?: string;
  readonly projectId?: string;
  readonly roleId?: string;
}

export interface RoleAssignmentsApi {
  /** Direct user grants on projects (group and domain grants are not listed). */
  list(filter?: RoleAssignmentFilter): Promise<RoleAssignment[]>;
  /**
   * The same list with the grants pumphouse does not migrate beside it (groups', domains',
   * inherited ones): one call where Keystone speaks v3; none of those on a v2.0-only Keystone.
   */
  grants(filter?: RoleAssignmentFilter): Promise<Grants>;
  /** Grants a role; granting an existing grant succeeds. */
  grant(a: RoleAssignment): Promise<void>;
  /** Revokes a role; revoking a missing grant succeeds. */
  revoke(a: RoleAssignment): Promise<void>;
}

/** Keystone, the same shape over v2.0 (admin endpoint) and v3. */
export interface IdentityClient {
  readonly version: IdentityVersion;
  readonly domains: { list(): Promise<Domain[]> };
  readonly projects: ProjectsApi;
  readonly users: UsersApi;
  readonly roles: RolesApi;
  readonly roleAssignments: RoleAssignmentsApi;
  /** Keystone v3 groups; absent on v2.0, which has none. */
  readonly groups?: { list(): Promise<Group[]> };
}
