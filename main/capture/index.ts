/**
 * The capture room's public surface: the backend contract and registry, availability and
 * privilege checks, the filter split between kernel and user space, what a capture writes, and
 * the privileged helper (its arguments and its launch).
 */
export {
  CAPTURE_BACKEND_NAMES,
  CaptureError,
  DEFAULT_BUFFER_KB,
  isCaptureBackendName,
  MAX_BATCH_EVENTS,
  MAX_BATCH_MS,
} from './CaptureBackend';
export type {
  CaptureAvailability,
  CaptureBackend,
  CaptureBackendName,
  CaptureLost,
  CaptureSession,
  CaptureSource,
  CaptureStartOptions,
  CaptureStats,
  CaptureSummary,
  FilterPlacement,
} from './CaptureBackend';
export { systemCaptureHost } from './CaptureHost';
export type { CaptureContext, CaptureHost, KernelReasonNames } from './CaptureHost';
export {
  chooseCaptureBackend,
  createCaptureBackends,
  formatBackendList,
  listBackendAvailability,
} from './captureBackends';
export type { BackendAvailability, BackendChoice } from './captureBackends';
export { readPrivilege } from './privilege';
export type { Privilege } from './privilege';
export { renderKernelFilter, splitFilter } from './filterPushdown';
export type { FilterDialect } from './filterPushdown';
export { compileEventMatcher, reasonNameOf } from './matchEvent';
export { removeStaleInstances, INSTANCE_NAME } from './tracefsFiles';
export type { StaleInstanceCleanup } from './tracefsFiles';
export { formatDuration, parseDuration, MAX_DURATION_MS } from './parseDuration';
export {
  captureNormalizedSource,
  dropRowOf,
  formatCaptureLine,
  normalizedJsonLine,
  perfScriptHeader,
  perfScriptLine,
  perfScriptLostLine,
} from './captureOutput';
export type { CaptureRunInfo } from './captureOutput';
export {
  captureHelperArgs,
  HELPER_FLAG,
  MAX_BUFFER_KB,
  MAX_CAPTURE_COUNT,
  MIN_BUFFER_KB,
  parseCaptureHelperArgs,
} from './captureHelperArgs';
export type { CaptureHelperRequest, ValidatedHelperRequest } from './captureHelperArgs';
export { chooseHelperLaunch, probeHelperLaunch, runCaptureHelper } from './runCaptureHelper';
export type {
  HelperLaunch,
  HelperLaunchProbe,
  HelperMessage,
  HelperProgram,
  HelperResult,
  HelperRun,
  RunCaptureHelperOptions,
} from './runCaptureHelper';
