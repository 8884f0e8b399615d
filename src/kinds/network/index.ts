export { securityGroupKind, defaultGroup } from './security-group.js';
export { securityGroupRuleKind, ruleSpec, sameRule, type RuleSpec } from './security-group-rule.js';
export { networkKind } from './network.js';
export { subnetKind, subnetInput } from './subnet.js';
export { routerKind, routerInput } from './router.js';
export { routerInterfaceKind, interfacePort } from './router-interface.js';
export { portKind, portInput } from './port.js';
export { floatingIpKind } from './floating-ip.js';
export { NeutronMarks, markedDescription, type NeutronRecord } from './neutron-marked.js';
