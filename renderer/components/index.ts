/**
 * Presentational widgets shared by panels (no state, no services).
 */
export { Dialog } from './Dialog';
export type { DialogProps } from './Dialog';
export { ReasonChip } from './ReasonChip';
export type { ReasonChipProps } from './ReasonChip';
export { Splitter } from './Splitter';
export type { SplitterProps } from './Splitter';
export { ProgressBar } from './ProgressBar';
export type { ProgressBarProps } from './ProgressBar';
export { formatBytes, formatCount, formatDurationNs, formatPercent, formatRate } from './format';
