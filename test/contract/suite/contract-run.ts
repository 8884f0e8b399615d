import { randomBytes } from 'node:crypto';
import { openCloud, type Cloud, type Project, type User } from '../../../src/openstack/index.js';
import { Ledger, type Leftover } from './ledger.js';
import { DEFAULT_TIMEOUTS, type ContractTarget, type TargetTimeouts } from './target.js';

/** The throwaway project (and its user) that several parts of the suite act on. */
export interface ContractTenant {
  readonly project: Project;
  readonly user: User;
  readonly password: string;
}

/**
 * State of one run of the suite against one target: the cloud (opened in the suite's
 * `before`), the name prefix of everything the run creates, the run-level ledger and the
 * leftovers every area reports.
 */
export class ContractRun {
  /** `phc-<8 hex>-`: unique per run, recognisable by a human and by the leftover check. */
  readonly prefix: string;
  readonly ledger = new Ledger();
  readonly leftovers: Leftover[] = [];
  /** Labels kept on purpose (cleanup policy `never` / `keep-on-failure`). */
  readonly kept: string[] = [];
  readonly timeouts: Required<TargetTimeouts>;
  private opened: Cloud | undefined;
  private tenantFixture: ContractTenant | undefined;

  constructor(readonly target: ContractTarget) {
    this.prefix = `phc-${randomBytes(4).toString('hex')}-`;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...target.timeouts };
  }

  /** `phc-1a2b3c4d-<what>`. */
  name(what: string): string {
    return `${this.prefix}${what}`;
  }

  async open(): Promise<Cloud> {
    this.opened ??= await openCloud(this.target.credentials, { name: this.target.name });
    return this.opened;
  }

  /** The cloud logged in as the target's admin; throws before open(). */
  get cloud(): Cloud {
    if (!this.opened) throw new Error(`${this.target.name}: the cloud was not opened (the suite's before hook failed)`);
    return this.opened;
  }

  get tenant(): ContractTenant {
    if (!this.tenantFixture) throw new Error(`${this.target.name}: the run's tenant project was not created (the suite's before hook failed)`);
    return this.tenantFixture;
  }

  set tenant(t: ContractTenant) {
    this.tenantFixture = t;
  }

  /**
   * Cleans one ledger as the target's policy says; `failed` tells whether a test of its area
   * failed (policy `keep-on-failure`). Leftovers are collected for the final check.
   */
  async settle(ledger: Ledger, failed: boolean): Promise<void> {
    const policy = this.target.cleanup;
    if (policy === 'never' || (policy === 'keep-on-failure' && failed)) {
      this.kept.push(...ledger.abandon());
      return;
    }
    this.leftovers.push(...(await ledger.drain()));
  }

  async close(): Promise<void> {
    await this.opened?.close();
  }
}

/** A value an earlier step of the same area produced; fails this step clearly when it is missing. */
export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`needs ${what} from an earlier step, which failed`);
  return value;
}
