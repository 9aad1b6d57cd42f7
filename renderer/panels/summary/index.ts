/**
 * The summary bar of the active trace and its dialogs (kernel picker, skipped lines, warnings).
 */
export { SummaryBar, KERNEL_SOURCE_LABELS } from './SummaryBar';
export type { SummaryBarProps } from './SummaryBar';
export { KernelPicker } from './KernelPicker';
