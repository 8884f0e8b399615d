import { applyPlan, type ApplyLimits, type ApplyResult } from '../apply/index.js';
import { loadConfig, type PumphouseConfig } from '../config/index.js';
import { PumphouseError } from '../errors/index.js';
import { silentReporter, type Reporter } from '../events/index.js';
import type { CloudAccess } from '../kinds/contract.js';
import { dirname, join } from 'node:path';
import { resetPasswordFile } from '../kinds/identity/index.js';
import { ownerPasswordRecoveryFile } from '../kinds/settings/index.js';
import { builtinKinds, type KindRegistry } from '../kinds/registry.js';
import { openFuel, type FuelClient } from '../fuel/index.js';
import { openCloud, type Cloud } from '../openstack/index.js';
import type { CloudEndpoint, Plan } from '../plan/index.js';

export interface ApplyOptions {
  readonly planPath: string;
  /** Config naming the clouds; default `pumphouse.yaml`. Not read when `clouds` is given. */
  readonly configPath?: string;
  /** Default `pumphouse.state.json`. */
  readonly statePath?: string;
  /** Actions at once; default 10. */
  readonly parallelism?: number;
  /** Per-group limits (`server`, `transfer`, ... `default`). */
  readonly limits?: ApplyLimits;
  readonly expectSha256?: string;
  /** Wait this long for the state lock; default 0. */
  readonly lockTimeoutS?: number;
  readonly reporter?: Reporter;
  /** Ctrl-C: in-flight steps finish, the state is saved, the result says `interrupted`. */
  readonly signal?: AbortSignal;
  /** The kinds to run; default the built-in ones. Tests inject fakes. */
  readonly kinds?: KindRegistry;
  /** The clouds; default opened lazily from the config. Tests inject fakes. */
  readonly clouds?: CloudAccess;
  /** Environment for `${VAR}` secrets in the config; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Where passwords set by `identity.passwords: reset` are written (mode 0600, one
   * `name<TAB>id<TAB>password` line a user); default `pumphouse.passwords` beside the state file.
   */
  readonly resetPasswordsPath?: string;
  /**
   * Where original source password hashes wait (mode 0600) while a keypair owner has a
   * temporary password on a legacy source; default `pumphouse.owner-passwords` beside the
   * state file. An entry left by a crash is restored at the next apply's start.
   */
  readonly ownerPasswordsPath?: string;
  /** State lock lease (tests); default 60 s. */
  readonly leaseMs?: number;
}

/**
 * Applies a plan file (library facade of `pumphouse apply`): loads the config (unless clouds
 * are injected) and checks that it names the clouds the plan was made for, then runs the
 * executor (src/apply/applyPlan: verify, lock, freshness, resume, walk). Clouds are logged in
 * to on first use only. Returns the summary; the apply's own refusals are thrown as
 * PumphouseErrors (PH_PLAN_TAMPERED, PH_PLAN_STALE, PH_STATE_LOCKED, ...).
 */
export async function apply(options: ApplyOptions): Promise<ApplyResult> {
  const reporter = options.reporter ?? silentReporter;
  let config: PumphouseConfig | undefined;
  let opened: LazyClouds | undefined;
  if (!options.clouds) {
    config = await loadConfig(options.configPath ?? 'pumphouse.yaml', options.env ? { env: options.env } : {});
    opened = new LazyClouds(config, reporter);
  }
  const clouds = options.clouds ?? opened!;
  const statePath = options.statePath ?? 'pumphouse.state.json';
  const resetPasswords = resetPasswordFile(options.resetPasswordsPath ?? join(dirname(statePath), 'pumphouse.passwords'));
  const ownerPasswordRecovery = ownerPasswordRecoveryFile(options.ownerPasswordsPath ?? join(dirname(statePath), 'pumphouse.owner-passwords'));
  try {
    return await applyPlan({
      planPath: options.planPath,
      statePath,
      registry: options.kinds ?? ((plan: Plan) => builtinKinds(config ? { config, plan, resetPasswords, ownerPasswordRecovery } : undefined)),
      clouds,
      reporter,
      ...(options.parallelism !== undefined ? { parallelism: options.parallelism } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.expectSha256 !== undefined ? { expectSha256: options.expectSha256 } : {}),
      ...(options.lockTimeoutS !== undefined ? { lockTimeoutMs: options.lockTimeoutS * 1000 } : {}),
      ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(config ? { checkPlan: (plan: Plan) => checkEndpoints(plan, config) } : {}),
    });
  } finally {
    await opened?.close();
  }
}

/**
 * A plan is applied to the clouds it was made for: the config's Keystone of each side must be
 * on the host and port the plan recorded (paths and versions may be written differently).
 */
function checkEndpoints(plan: Plan, config: PumphouseConfig): void {
  const reassigns = plan.actions.some((a) => a.kind === 'host_reassign' && a.action !== 'no-op');
  if (reassigns && !config.fuel) {
    throw new PumphouseError('PH_CONFIG_INVALID', `the plan reassigns hosts in Fuel, but ${config.file} names no Fuel master (CLOUDS.fuel)`, {
      location: { file: config.file, field: 'CLOUDS.fuel' },
    });
  }
  const plannedFuel = plan.config.fuel?.url;
  if (plannedFuel && config.fuel && hostOf(plannedFuel) !== config.fuel.credentials.host.replace(/^\[|\]$/g, '')) {
    throw new PumphouseError('PH_PLAN_STALE', `the plan was made for the Fuel master at ${origin(plannedFuel)}, but ${config.file} names ${config.fuel.credentials.host}`, {
      location: { file: config.file, field: 'CLOUDS.fuel' },
    });
  }
  for (const side of ['source', 'destination'] as const) {
    const planned: CloudEndpoint = plan.config[side];
    const configured = config[side]?.credentials.authUrl;
    if (!configured) continue;
    if (origin(planned.auth_url) !== origin(configured)) {
      throw new PumphouseError(
        'PH_PLAN_STALE',
        `the plan was made for the ${side} cloud at ${origin(planned.auth_url)}, but ${config.file} names ${origin(configured)}`,
        { location: { file: config.file, field: `CLOUDS.${side}` } },
      );
    }
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return url;
  }
}

function origin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return url;
  }
}

/** CloudAccess over the config: each side logs in on first use; scoped clouds cached. */
class LazyClouds implements CloudAccess {
  readonly #opened = new Map<string, Promise<Cloud>>();
  #fuel: Promise<FuelClient> | undefined;

  constructor(
    private readonly config: PumphouseConfig,
    private readonly reporter: Reporter,
  ) {}

  source(): Promise<Cloud> {
    return this.#open('source');
  }

  destination(): Promise<Cloud> {
    return this.#open('destination');
  }

  scoped(side: 'source' | 'destination', projectId: string): Promise<Cloud> {
    const key = `${side}/${projectId}`;
    let p = this.#opened.get(key);
    if (!p) {
      p = this.#open(side).then((c) => c.scopedTo(projectId));
      this.#opened.set(key, p);
    }
    return p;
  }

  fuel(): Promise<FuelClient> {
    const fuel = this.config.fuel;
    this.#fuel ??= fuel
      ? openFuel(fuel.credentials)
      : Promise.reject(new PumphouseError('PH_CONFIG_INVALID', `${this.config.file} names no Fuel master (CLOUDS.fuel)`, { location: { file: this.config.file } }));
    return this.#fuel;
  }

  #open(side: 'source' | 'destination'): Promise<Cloud> {
    let p = this.#opened.get(side);
    if (!p) {
      const cloud = this.config[side];
      p = cloud
        ? // No abort signal: Ctrl-C lets in-flight steps (and their HTTP calls) finish.
          openCloud(cloud.credentials, { reporter: this.reporter, name: side })
        : Promise.reject(new PumphouseError('PH_CONFIG_INVALID', `${this.config.file} names no ${side} cloud`, { location: { file: this.config.file } }));
      this.#opened.set(side, p);
    }
    return p;
  }

  /** Closes the clouds that were opened (scoped ones share their parent's pool). */
  async close(): Promise<void> {
    const roots = ['source', 'destination'].map((s) => this.#opened.get(s)).filter((p): p is Promise<Cloud> => p !== undefined);
    await Promise.all([
      ...roots.map((p) => p.then((c) => c.close(), () => undefined)),
      this.#fuel?.then((f) => f.close(), () => undefined),
    ]);
  }
}
