/**
 * A quota set as the service names its limits (`instances`, `cores`, `volumes`,
 * `gigabytes_<type>`, `floatingip`, ...); -1 means unlimited. Nova's and Cinder's `id`
 * field is dropped.
 */
export type QuotaSet = Readonly<Record<string, number>>;
