/**
 * The whole contract suite (every area) against the simulator's modern profile (Keystone v3,
 * Neutron, Glance v2, Cinder v3, Nova 2.1-2.93): the same steps that run against the real Zed
 * testbed (test/real/contract.test.ts). The legacy profiles have one file per release.
 */
import { defineSimContract } from './targets/simulator.js';

defineSimContract(['modern:neutron']);
