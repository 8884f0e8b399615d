import type { ActionType, ResourceKind } from './types.js';

/** Every resource kind, in the order renderers and summaries list them (dependencies first). */
export const RESOURCE_KINDS: readonly ResourceKind[] = [
  'project',
  'admin_membership',
  'user',
  'password_hash',
  'role',
  'role_assignment',
  'quota',
  'flavor',
  'flavor_access',
  'keypair',
  'owner_keypairs',
  'security_group',
  'security_group_rule',
  'network',
  'subnet',
  'router',
  'router_interface',
  'rbac_policy',
  'port',
  'floating_ip',
  'image',
  'volume',
  'server_group',
  'server',
  'source_after',
  'host_evacuate',
  'host_reassign',
];

/** Every action type, in the order counts are printed. */
export const ACTION_TYPES: readonly ActionType[] = [
  'create',
  'update',
  'migrate',
  'adopt',
  'grant',
  'revoke',
  'stop',
  'delete',
  'evacuate',
  'reassign',
  'no-op',
];

const PLAIN: readonly ActionType[] = ['create', 'update', 'adopt', 'delete', 'no-op'];
const LINK: readonly ActionType[] = ['create', 'adopt', 'delete', 'no-op'];
const DATA: readonly ActionType[] = ['migrate', 'adopt', 'update', 'delete', 'no-op'];

/**
 * Which action each kind may take. readPlan refuses any other pairing (PH_PLAN_INVALID), so the
 * executor can switch on (kind, action) exhaustively.
 */
export const ALLOWED_ACTIONS: { readonly [K in ResourceKind]: readonly ActionType[] } = {
  project: PLAIN,
  user: PLAIN,
  role: ['create', 'adopt', 'no-op'],
  role_assignment: LINK,
  // A hash is written over the one Keystone generated when the user was created.
  password_hash: ['update', 'no-op'],
  // Quotas always exist in a project: they can only be set.
  quota: ['update', 'no-op'],
  flavor: PLAIN,
  flavor_access: LINK,
  keypair: LINK,
  // A set of keypairs whose names are known only at apply time: made, or already done.
  owner_keypairs: ['create', 'no-op'],
  security_group: PLAIN,
  security_group_rule: LINK,
  network: PLAIN,
  subnet: PLAIN,
  router: PLAIN,
  router_interface: LINK,
  rbac_policy: LINK,
  port: PLAIN,
  floating_ip: LINK,
  image: DATA,
  volume: DATA,
  server_group: ['create', 'adopt', 'no-op'],
  server: DATA,
  // `keep` is a no-op.
  source_after: ['stop', 'delete', 'no-op'],
  host_evacuate: ['evacuate', 'no-op'],
  host_reassign: ['reassign', 'no-op'],
  admin_membership: ['grant', 'revoke', 'no-op'],
};

/** True when `kind` may take `action`. */
export function isAllowedAction(kind: ResourceKind, action: ActionType): boolean {
  return ALLOWED_ACTIONS[kind].includes(action);
}

/**
 * The step names the planner writes into `Action.steps` and the executor journals, for the
 * pairings whose steps are not just the action's own name. Shared here so both sides agree on
 * the words; the executor's kinds own what each step does.
 */
const SPECIAL_STEPS: { readonly [K in ResourceKind]?: { readonly [A in ActionType]?: readonly string[] } } = {
  password_hash: { update: ['read_source_hash', 'write_destination_hash', 'verify'] },
  image: { migrate: ['create', 'transfer', 'verify_checksum', 'activate'] },
  volume: { migrate: ['snapshot', 'upload_to_image', 'transfer', 'create_from_image', 'verify', 'cleanup'] },
  server: {
    migrate: ['quiesce', 'snapshot', 'transfer', 'boot', 'attach_volumes', 'floating_ip', 'verify'],
  },
  floating_ip: { create: ['allocate', 'associate'] },
  owner_keypairs: { create: ['read_as_owner', 'import'] },
  host_evacuate: { evacuate: ['disable_service', 'live_migrate', 'verify_empty'] },
  host_reassign: {
    reassign: ['unassign', 'wait_discovered', 'assign', 'configure_disks_nics', 'deploy', 'wait_compute_up'],
  },
};

/**
 * The standard ordered steps of one (kind, action): `[]` for `no-op`, the special list above
 * when there is one, else the single step named after the action (`create`, `delete`, ...).
 */
export function standardSteps(kind: ResourceKind, action: ActionType): readonly string[] {
  if (action === 'no-op') return [];
  return SPECIAL_STEPS[kind]?.[action] ?? [action];
}
