/**
 * The breakdown view: reason × location counts of the active trace.
 */
export { BreakdownPanel, groupByReason } from './BreakdownPanel';
export type { BreakdownPanelProps, ReasonGroup } from './BreakdownPanel';
