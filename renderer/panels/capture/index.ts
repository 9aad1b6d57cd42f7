/**
 * Live capture in the UI: the Record dialog and the bar above a capture's workspace.
 */
export { RecordDialog, parseRingLimit } from './RecordDialog';
export type { RecordDialogProps } from './RecordDialog';
export { CaptureBar, formatElapsed } from './CaptureBar';
export type { CaptureBarProps } from './CaptureBar';
