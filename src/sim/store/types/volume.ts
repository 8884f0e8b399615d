import type { DataRef } from './image.js';

/** Cinder records (legacy-apis.md §4). */
export interface VolumeAttachment {
  readonly attachmentId: string;
  readonly serverId: string;
  readonly device: string;
  readonly hostName: string | null;
}

export interface VolumeRecord {
  readonly id: string;
  name: string | null;
  description: string | null;
  projectId: string;
  userId: string;
  /** GiB. */
  size: number;
  status: string;
  attachStatus: 'attached' | 'detached';
  attachments: VolumeAttachment[];
  volumeTypeId: string | null;
  availabilityZone: string;
  bootable: boolean;
  snapshotId: string | null;
  sourceVolId: string | null;
  /** Glance metadata copied when made from an image (`volume_image_metadata`). */
  imageMetadata: Record<string, string> | null;
  metadata: Record<string, string>;
  host: string;
  migrationStatus: string | null;
  encrypted: boolean;
  multiattach: boolean;
  createdAt: string;
  updatedAt: string;
  /** Content; for a generated volume only the first bytes are meaningful to a reader. */
  data: DataRef;
}

export interface SnapshotRecord {
  readonly id: string;
  volumeId: string;
  name: string | null;
  description: string | null;
  projectId: string;
  size: number;
  status: string;
  progress: string;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface VolumeTypeRecord {
  readonly id: string;
  name: string;
  description: string | null;
  isPublic: boolean;
  extraSpecs: Record<string, string>;
}

export interface TransferRecord {
  readonly id: string;
  volumeId: string;
  name: string | null;
  authKey: string;
  /** Project that offered the volume. */
  projectId: string;
  createdAt: string;
}
