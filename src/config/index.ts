export { loadConfig } from './load-config.js';
export { redactedConfig, type RedactedCloud, type RedactedConfig } from './redacted-config.js';
export { cloudsYamlCandidates, secureYamlCandidates, type CloudsYamlSearch } from './clouds-yaml.js';
export { cloudFromEnvironment, type EnvironmentCloud } from './os-environment.js';
export type {
  CloudConfig,
  CloudName,
  CredentialsOrigin,
  DiskLayout,
  FuelConfig,
  InterfaceLayout,
  LoadConfigOptions,
  ParametersConfig,
  PluginsConfig,
  PopulateConfig,
  PumphouseConfig,
  ServerConfig,
} from './types.js';
