export type {
  Action,
  ActionRef,
  ActionType,
  AttributeValue,
  Attributes,
  CloudEndpoint,
  CloudSide,
  DestinationObject,
  Diagnostic,
  DriftItem,
  FuelEndpoint,
  Impact,
  JsonScalar,
  Observation,
  Plan,
  PlanFile,
  PlanSummary,
  Precondition,
  Reason,
  ReasonCode,
  ResourceKind,
  SecretRef,
  SourceObject,
} from './types.js';
export { PLAN_FORMAT_VERSION } from './types.js';
export { ACTION_TYPES, ALLOWED_ACTIONS, RESOURCE_KINDS, isAllowedAction, standardSteps } from './kinds.js';
export { actionId, formatAddress, parseAddress, type AddressSegment } from './address.js';
export { hasChanges, summarize } from './summary.js';
export { RECORDED_LISTS, recordedFacts } from './recorded-facts.js';
export { topoOrder } from './topo-order.js';
export { canonicalJson, planChecksum, sha256Hex } from './canonical.js';
export { planSchemaPath } from './schema.js';
export { planProblems } from './validate.js';
export { newPlanIdentity, serializePlan, writePlan, type PlanIdentity, type SerializeOptions, type SerializedPlan } from './write.js';
export { ActionSpill } from './action-spill.js';
export { SpilledAction } from './spilled-action.js';
export { readPlan, verifyPlanBytes, type LoadedPlan, type ReadPlanOptions, type ToolVersionPolicy } from './read.js';
export { readPlanForShow, type ShowReadOptions, type ShownPlan } from './read-for-show.js';
export { jsonChunks, renderJson, renderMarkdown, renderText, textChunks, textLines, type MarkdownOptions, type RenderOptions, type TextOptions } from './render/index.js';
