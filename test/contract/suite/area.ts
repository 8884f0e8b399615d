import { after, describe, it, type TestContext } from 'node:test';
import { Ledger } from './ledger.js';
import type { ContractRun } from './contract-run.js';

/** Decides at run time whether a step can run (capabilities discovered from the cloud): a reason skips it. */
export type SkipCheck = () => Promise<string | false>;

export interface StepOptions {
  /** Known finding (see findings.ts): the step runs, but its failure does not fail the run. */
  readonly todo?: string;
  /** Why the step cannot run on this target (decided before the run). */
  readonly skip?: string | false;
  readonly skipIf?: SkipCheck;
}

export interface AreaOptions {
  /** Why the whole area cannot run on this target. */
  readonly skip?: string | false;
  /** Asked before each step of the area. */
  readonly skipIf?: SkipCheck;
}

/** One part of the suite (identity, network, ...): its own ledger, cleaned in its `after`. */
export interface Area {
  readonly run: ContractRun;
  readonly ledger: Ledger;
  /** A test in this area; steps run in order and may use what earlier steps made. */
  step(name: string, fn: (t: TestContext) => Promise<void>, opts?: StepOptions): void;
}

/**
 * Declares an area as a `describe` block. Its objects are deleted in `after` as the
 * target's cleanup policy says, even when a step failed.
 */
export function area(run: ContractRun, title: string, opts: AreaOptions, body: (a: Area) => void): void {
  describe(title, { concurrency: false, ...(opts.skip ? { skip: opts.skip } : {}) }, () => {
    const ledger = new Ledger();
    let failed = false;
    const scope: Area = {
      run,
      ledger,
      step(name, fn, own = {}) {
        const skipIf = own.skipIf ?? opts.skipIf;
        const options = { ...(own.todo ? { todo: own.todo } : {}), ...(own.skip ? { skip: own.skip } : {}) };
        it(name, options, async (t) => {
          const reason = skipIf ? await skipIf() : false;
          if (reason) return t.skip(reason);
          try {
            await fn(t);
          } catch (err) {
            failed = true;
            throw err;
          }
        });
      },
    };
    body(scope);
    after(() => run.settle(ledger, failed));
  });
}
