/**
 * The whole contract suite (every area) against the simulator's Icehouse profiles: nova-network
 * FlatDHCP, nova-network VLAN and Neutron (docs/architecture/contract-suite.md). One file per
 * release keeps each file's run short.
 */
import { defineSimContract } from './targets/simulator.js';

defineSimContract(['icehouse:nova-network:flatdhcp', 'icehouse:nova-network:vlan', 'icehouse:neutron']);
