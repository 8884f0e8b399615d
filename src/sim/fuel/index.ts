export { startFuelSimulator } from './start.js';
export type {
  FuelSimulator,
  FuelSimulatorOptions,
  FuelSimEnvironment,
  FuelSimNodeSeed,
  FuelSimKnobs,
  FuelSimNodeView,
  FuelSimFault,
  FuelSimRequest,
  ComputeHostHooks,
} from './options.js';
