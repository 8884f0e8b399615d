/** Image (Glance) records, the same for v1 and v2. */
export type ImageVisibility = 'public' | 'private' | 'shared' | 'community';

export interface Image {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  /** v2 `visibility`; v1 `is_public` true -> public, false -> private. */
  readonly visibility: ImageVisibility;
  readonly owner: string | null;
  /** MD5 hex (legacy and modern). */
  readonly checksum: string | null;
  readonly size: number | null;
  readonly diskFormat: string | null;
  readonly containerFormat: string | null;
  readonly minDisk: number;
  readonly minRam: number;
  readonly protected: boolean;
  /** Custom properties (v1 `properties`/`x-image-meta-property-*`, v2 top-level extras). */
  readonly properties: Readonly<Record<string, string>>;
  /** v2 `tags` (operators' labels, which automation selects by); v1 has none: []. */
  readonly tags: readonly string[];
  readonly createdAt: string | null;
  readonly updatedAt: string | null;
}

export interface ImageInput {
  readonly name: string;
  /** Keep the source id (both versions honour a given id). */
  readonly id?: string;
  readonly diskFormat: string;
  readonly containerFormat: string;
  readonly visibility?: ImageVisibility;
  readonly minDisk?: number;
  readonly minRam?: number;
  readonly protected?: boolean;
  /** v1 always; v2 on clouds that allow it (legacy v2 answers 403). */
  readonly owner?: string;
  readonly properties?: Readonly<Record<string, string>>;
  /** v2 only (v1 has no tags and ignores them). */
  readonly tags?: readonly string[];
}

export interface ImagePatch {
  readonly name?: string;
  readonly visibility?: ImageVisibility;
  readonly minDisk?: number;
  readonly minRam?: number;
  readonly protected?: boolean;
  /** Properties to add or replace. */
  readonly properties?: Readonly<Record<string, string>>;
  readonly removeProperties?: readonly string[];
}

export interface ImageMember {
  readonly imageId: string;
  readonly memberId: string;
  /** v2 membership status; null on v1, which has none. */
  readonly status: 'pending' | 'accepted' | 'rejected' | null;
  /** v1 `can_share`; null on v2. */
  readonly canShare: boolean | null;
}

export interface ImageFilter {
  /** v1 `is_public=None` (admin sees every tenant's images); v2 lists all an admin can see anyway. */
  readonly allTenants?: boolean;
  readonly owner?: string;
  readonly status?: string;
  readonly name?: string;
  readonly visibility?: ImageVisibility;
}
