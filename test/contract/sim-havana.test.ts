/**
 * The whole contract suite (every area) against the simulator's Havana profiles: nova-network
 * FlatDHCP, nova-network VLAN and Neutron (docs/architecture/contract-suite.md). One file per
 * release keeps each file's run short.
 */
import { defineSimContract } from './targets/simulator.js';

defineSimContract(['havana:nova-network:flatdhcp', 'havana:nova-network:vlan', 'havana:neutron']);
