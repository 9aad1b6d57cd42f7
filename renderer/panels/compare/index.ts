/**
 * The compare view: two open traces, per reason and per location.
 */
export { ComparePanel } from './ComparePanel';
export type { ComparePanelProps } from './ComparePanel';
