/**
 * Reason metadata by name: what a drop reason means, its category (with label and colour) and
 * what to check next — for the details panel, grid, timeline legend and reports.
 */
export { describeReason } from './describeReason';
export type { ReasonInfo } from './describeReason';
export { categoryInfo, REASON_CATEGORIES } from './categoryInfo';
export type { CategoryInfo, ReasonCategory } from './categoryInfo';
export { catalogueReasonNames } from './reasonCatalog';
