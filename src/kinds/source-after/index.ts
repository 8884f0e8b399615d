/** What becomes of a migrated source server: stop or delete, after a cut-over check. */
export { sourceAfterKind } from './source-after-kind.js';
