/**
 * Tunables of the data and compute kinds (image, volume, server, source_after). Timeouts are
 * seconds of waiting for a cloud object to reach a status; they are generous because a
 * large image or volume takes as long as its bytes take.
 */
export interface DataKindOptions {
  /** A destination server reaching ACTIVE (and SHUTOFF when it must end stopped). Default 600. */
  readonly bootTimeoutS?: number;
  /** A source server reaching SHUTOFF / SUSPENDED / ACTIVE (quiesce and its undo). Default 300. */
  readonly quiesceTimeoutS?: number;
  /** A server snapshot image becoming active. Default 3600. */
  readonly snapshotTimeoutS?: number;
  /**
   * Cinder work: a clone, an upload of a volume into an image, a volume made from an
   * image, a volume attach. Default 21600 (6 h: big volumes on slow backends).
   */
  readonly volumeTimeoutS?: number;
  /**
   * Format Cinder writes a volume into its temporary image: `raw` (Cinder streams the
   * volume as it is: no conversion space, every byte moves) or `qcow2` (converted on the
   * Cinder host: unallocated blocks of sparse/thin volumes do not move). Default `raw`,
   * which every Cinder turns back into a volume without conversion.
   */
  readonly volumeDiskFormat?: 'raw' | 'qcow2';
  /** Further attempts of one data copy after a failed one (transfer's `retries`). Default 2. */
  readonly transferRetries?: number;
  /** First wait before a retried copy, doubled each time (transfer's `retryDelayMs`). Default 2000. */
  readonly transferRetryDelayMs?: number;
  /** First delay between status polls (ctx.wait's `intervalMs`). Default 1000; tests use less. */
  readonly pollIntervalMs?: number;
}

/** Options with every default filled in. */
export type DataKindSettings = Required<DataKindOptions>;

export function dataKindSettings(options: DataKindOptions = {}): DataKindSettings {
  return {
    bootTimeoutS: options.bootTimeoutS ?? 600,
    quiesceTimeoutS: options.quiesceTimeoutS ?? 300,
    snapshotTimeoutS: options.snapshotTimeoutS ?? 3600,
    volumeTimeoutS: options.volumeTimeoutS ?? 21_600,
    volumeDiskFormat: options.volumeDiskFormat ?? 'raw',
    transferRetries: options.transferRetries ?? 2,
    transferRetryDelayMs: options.transferRetryDelayMs ?? 2000,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
  };
}
