/** Where the bytes of an image or volume come from. */
export type DataRef =
  /** Deterministic bytes f(seed, key, size), generated on read (never held in memory). */
  | { readonly kind: 'generated'; readonly key: string; readonly size: number }
  /** Bytes uploaded through an API, kept by the store's blob store. */
  | { readonly kind: 'blob'; readonly blobId: string; readonly size: number }
  | { readonly kind: 'none' };

export type ImageStatus = 'queued' | 'saving' | 'active' | 'killed' | 'deleted' | 'pending_delete' | 'deactivated' | 'uploading' | 'importing';

export interface ImageMemberRecord {
  readonly memberId: string;
  status: 'pending' | 'accepted' | 'rejected';
  canShare: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ImageRecord {
  readonly id: string;
  name: string | null;
  /** Owner project id (Glance `owner`); null for images without an owner. */
  projectId: string | null;
  status: ImageStatus;
  visibility: 'public' | 'private' | 'shared' | 'community';
  protected: boolean;
  diskFormat: string | null;
  containerFormat: string | null;
  size: number | null;
  virtualSize: number | null;
  /** MD5 hex of the data (computed once, when the data arrived or was generated). */
  checksum: string | null;
  /** sha512 hex (modern `os_hash_value`). */
  hashValue: string | null;
  minRam: number;
  minDisk: number;
  createdAt: string;
  updatedAt: string;
  /** Custom properties (v1 `properties`, v2 top-level keys). */
  properties: Record<string, string>;
  tags: string[];
  members: ImageMemberRecord[];
  data: DataRef;
}
