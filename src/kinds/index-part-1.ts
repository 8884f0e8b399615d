/**
 * Part 1 of the built-in kinds: identity (project, user, role, role_assignment,
 * password_hash, admin_membership), tenant settings (quota, flavor, flavor_access, keypair,
 * owner_keypairs)
 * and networking (security_group, security_group_rule, network, subnet, router,
 * router_interface, rbac_policy, port, floating_ip), with the PreconditionReader for every ref the
 * planner writes and the SecretResolver for every `$secret` path. See
 * docs/architecture/kinds-identity-network.md.
 */
import type { PumphouseConfig } from '../config/index.js';
import type { Reporter } from '../events/index.js';
import type { CloudCredentials } from '../openstack/index.js';
import type { KindHandler, PreconditionReader, SecretResolver } from './contract.js';
import { IdentityDbAccess, type IdentityDbOpener } from './common/identity-db-access.js';
import { adminMembershipKind, passwordHashKind, projectKind, roleAssignmentKind, roleKind, userKind, type ResetPasswordSink } from './identity/index.js';
import {
  floatingIpKind,
  networkKind,
  portKind,
  rbacPolicyKind,
  routerInterfaceKind,
  routerKind,
  securityGroupKind,
  securityGroupRuleKind,
  subnetKind,
} from './network/index.js';
import { preconditionReader } from './preconditions.js';
import { secretResolver } from './secrets.js';
import {
  flavorAccessKind, flavorKind, keypairKind, keypairKindWith, OwnerTokens, ownerKeypairsKind, ownerKeypairsKindWith, quotaKind, type OwnerPasswordRecovery,
} from './settings/index.js';

export interface KindsPart1Options {
  /** The source Keystone database URL (`CLOUDS.source.identity.connection`): password hashes are read there. */
  readonly sourceIdentityDbUrl?: string;
  /** The destination Keystone database URL: copied hashes are written there. */
  readonly destinationIdentityDbUrl?: string;
  /** The destination Keystone release (the plan's `config.destination.release`), for the hash warning. */
  readonly destinationKeystoneRelease?: string;
  /** Where `identity.passwords: reset` delivers new passwords (e.g. resetPasswordFile(path)). */
  readonly resetPasswords?: ResetPasswordSink;
  /**
   * Where original source password hashes wait while a keypair owner has a temporary password
   * (legacy Nova: keypairs read as their owner). Without it such keypair steps are refused.
   */
  readonly ownerPasswordRecovery?: OwnerPasswordRecovery;
  /** The config's source credentials, reused (TLS, region) when logging in as a keypair owner. */
  readonly sourceCredentials?: CloudCredentials;
  /** How Keystone databases are opened (tests). */
  readonly openIdentityDb?: IdentityDbOpener;
}

/** The handlers and services of part 1, ready for kindRegistry(); `close()` ends the DB pools. */
export interface KindsPart1 {
  readonly handlers: readonly KindHandler[];
  readonly preconditions: PreconditionReader;
  readonly secrets: SecretResolver;
  /** Restores source passwords an interrupted apply left temporary (apply start, under the lock). */
  recover(reporter: Reporter): Promise<void>;
  /** Closes the Keystone database pools (they also close by themselves when idle). */
  close(): Promise<void>;
}

/** The part-1 handlers that need no options (everything but password_hash). */
export const KINDS_PART_1_PLAIN: readonly KindHandler[] = [
  projectKind,
  userKind,
  roleKind,
  roleAssignmentKind,
  adminMembershipKind,
  quotaKind,
  flavorKind,
  flavorAccessKind,
  keypairKind,
  ownerKeypairsKind,
  securityGroupKind,
  securityGroupRuleKind,
  networkKind,
  subnetKind,
  routerKind,
  routerInterfaceKind,
  rbacPolicyKind,
  portKind,
  floatingIpKind,
];

export function kindsPart1(options: KindsPart1Options = {}): KindsPart1 {
  const sourceDb = new IdentityDbAccess(options.sourceIdentityDbUrl, 'source', options.openIdentityDb);
  const destinationDb = new IdentityDbAccess(options.destinationIdentityDbUrl, 'destination', options.openIdentityDb);
  const passwords = passwordHashKind({
    destinationDb,
    ...(options.destinationKeystoneRelease !== undefined ? { destinationKeystoneRelease: options.destinationKeystoneRelease } : {}),
    ...(options.resetPasswords ? { resetPasswords: options.resetPasswords } : {}),
  });
  const owners = new OwnerTokens({
    sourceDb,
    ...(options.ownerPasswordRecovery ? { recovery: options.ownerPasswordRecovery } : {}),
    ...(options.sourceCredentials ? { sourceCredentials: options.sourceCredentials } : {}),
  });
  return {
    handlers: [...KINDS_PART_1_PLAIN.filter((h) => h !== keypairKind && h !== ownerKeypairsKind), keypairKindWith(owners), ownerKeypairsKindWith(owners), passwords],
    preconditions: preconditionReader(),
    secrets: secretResolver({ sourceDb, originalHash: (userId) => owners.originalHash(userId) }),
    async recover(reporter) {
      if (owners.available) await owners.restoreAll(reporter);
    },
    async close() {
      await Promise.all([sourceDb.close(), destinationDb.close()]);
    },
  };
}

/** kindsPart1 with the Keystone database URLs of a loaded config. */
export function kindsPart1FromConfig(
  config: Pick<PumphouseConfig, 'source' | 'destination'>,
  extra: Omit<KindsPart1Options, 'sourceIdentityDbUrl' | 'destinationIdentityDbUrl'> = {},
): KindsPart1 {
  return kindsPart1({
    ...extra,
    ...(config.source?.identityDbUrl !== undefined ? { sourceIdentityDbUrl: config.source.identityDbUrl } : {}),
    ...(config.source ? { sourceCredentials: config.source.credentials } : {}),
    ...(config.destination?.identityDbUrl !== undefined ? { destinationIdentityDbUrl: config.destination.identityDbUrl } : {}),
  });
}
