import type { Impact } from '../plan/index.js';

/**
 * Rough figures for `impact.estimate_s`: a reviewer needs orders of magnitude (minutes or
 * hours?), not promises. Streams go source -> pumphouse -> destination, so the slower of
 * the two Glance/Cinder links bounds them; 50 MiB/s is a conservative 1 GbE figure.
 */
export const TRANSFER_BYTES_PER_S = 50 * 1024 * 1024;
/** Boot plus reaching ACTIVE in the destination. */
export const BOOT_S = 120;
/** Stop or suspend the source server and wait for the state. */
export const QUIESCE_S = 30;
/** One live migration during an evacuation. */
export const LIVE_MIGRATION_S = 120;
/** Fuel unassign, rediscovery, provisioning and deployment of one node. */
export const REASSIGN_S = 3600;

export const GIB = 1024 * 1024 * 1024;

/** Seconds to stream `bytes`. */
export function transferSeconds(bytes: number): number {
  return Math.ceil(bytes / TRANSFER_BYTES_PER_S);
}

/** Impact of an action that only copies data (images, detached volumes). */
export function copyImpact(bytes: number): Impact {
  return { downtime: false, destructive: false, irreversible: false, bytes, estimate_s: transferSeconds(bytes) };
}
