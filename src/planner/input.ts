import type { FuelInventory, Inventory } from '../inventory/index.js';
import type { ActionSpill, CloudEndpoint, FuelEndpoint } from '../plan/index.js';
import type { StateFile } from '../state/types.js';
import type { DesiredState } from '../manifest/index.js';
import type { ManifestEntries } from './desired.js';
import type { AssignmentPlugin } from './host-layout.js';

/** Everything the planner needs besides the inventories, all injected (no clock, no random). */
export interface PlanOptions {
  /** `--target` addresses: keep these and everything they depend on. */
  readonly targets: readonly string[];
  /** `--exclude` addresses: drop these and everything that depends on them. */
  readonly excludes: readonly string[];
  /**
   * Excludes a verb's selector chose (`pumphouse migrate identity` keeps a tenant's project but
   * not the rest of its subtree): applied like `excludes` and recorded with them in the plan,
   * without the "--exclude dropped" warning, since the operator passed no --exclude.
   */
  readonly impliedExcludes?: readonly string[];
  readonly toolVersion: string;
  /** UUID chosen by the caller. */
  readonly planId: string;
  /** RFC 3339 time chosen by the caller. */
  readonly createdAt: string;
  readonly manifest: { readonly path: string; readonly sha256: string; readonly text_sha256: string };
  /** Non-secret endpoint summary for the plan header. */
  readonly config: {
    readonly source: CloudEndpoint;
    readonly destination: CloudEndpoint;
    readonly fuel?: FuelEndpoint;
  };
}

/** The planner's whole input: it reads nothing else. */
export interface PlanInput {
  /** The normalized manifest (manifest/'s loadManifest().desired). */
  readonly desired: DesiredState;
  /** Where each tenant/host entry is in the manifest, for diagnostics; optional. */
  readonly entries?: ManifestEntries;
  readonly source: Inventory;
  readonly destination: Inventory;
  readonly fuel?: FuelInventory;
  readonly prior: StateFile | null;
  readonly options: PlanOptions;
  /**
   * The config's PLUGINS.assignment (and parameters): hosts left to the plugin get their
   * layout resolved into the plan. Absent: the plan says `plugin` and apply resolves it.
   */
  readonly plugins?: AssignmentPlugin;
  /**
   * Where the actions' bulky members go as they are made (plan/'s ActionSpill), so a plan of
   * hundreds of thousands of actions is not held in the heap; the plan is the same either way.
   * The planner writes to it and nothing else.
   */
  readonly spill?: ActionSpill;
  /**
   * Told the name of each step of planning as it ends (`fingerprints`, `identity`, ...,
   * `assemble`), for benches that read their own clock per step; the planner reads none.
   */
  readonly onStep?: (step: string) => void;
}
