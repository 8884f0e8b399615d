/** Block storage (Cinder) records, normalized over v1 (`display_name`), v2 and v3. */
export interface VolumeAttachmentInfo {
  readonly serverId: string;
  /** v3 attachment id; the volume id on legacy clouds. */
  readonly attachmentId: string;
  readonly device: string | null;
  readonly hostName: string | null;
}

export interface Volume {
  readonly id: string;
  /** v1 `display_name`. */
  readonly name: string;
  readonly description: string;
  /** GiB. */
  readonly size: number;
  readonly status: string;
  readonly volumeType: string | null;
  /** Legacy sends "true"/"false" strings. */
  readonly bootable: boolean;
  readonly encrypted: boolean;
  readonly attachments: readonly VolumeAttachmentInfo[];
  readonly metadata: Readonly<Record<string, string>>;
  /** `os-vol-tenant-attr:tenant_id` (admin). */
  readonly tenantId: string | null;
  readonly userId: string | null;
  readonly snapshotId: string | null;
  readonly sourceVolumeId: string | null;
  /** `volume_image_metadata.image_id` for volumes made from an image. */
  readonly sourceImageId: string | null;
  readonly imageMetadata: Readonly<Record<string, string>>;
  readonly availabilityZone: string | null;
  /** `os-vol-host-attr:host` (admin). */
  readonly host: string | null;
  readonly createdAt: string | null;
}

export interface VolumeInput {
  /** GiB. */
  readonly size: number;
  readonly name?: string;
  readonly description?: string;
  readonly volumeType?: string;
  readonly availabilityZone?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly snapshotId?: string;
  readonly sourceVolumeId?: string;
  readonly imageId?: string;
}

export interface VolumeSnapshot {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly status: string;
  /** GiB. */
  readonly size: number;
  readonly volumeId: string;
  readonly tenantId: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly createdAt: string | null;
}

export interface VolumeType {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  /** Kilo+; true on older clouds (no private types there). */
  readonly isPublic: boolean;
  readonly extraSpecs: Readonly<Record<string, string>>;
}
