/** How to reach a Fuel master (Nailgun API) and its Keystone. Secrets stay in memory only. */
export interface FuelCredentials {
  readonly host: string;
  /** Nailgun's port (8000 on a real master). */
  readonly port: number;
  readonly username: string;
  readonly password: string;
  /** Keystone of the Fuel master; default `http(s)://<host>:<port>/keystone/v2.0` (Fuel 5.1+ proxies it on Nailgun's port). */
  readonly keystoneUrl?: string;
  /** Tenant for the Fuel master's token; default `admin`. */
  readonly tenantName?: string;
  readonly https?: boolean;
}
