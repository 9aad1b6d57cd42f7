/**
 * Browser mode's public surface: the HTTP + WebSocket server and the allowlist it shares with the
 * API's `canOpen`.
 */
export { startServer } from './startServer';
export type { RunningServer, ServerOptions } from './startServer';
export { PathAllowlist } from './PathAllowlist';
export { isLoopbackHost } from './requestAuth';
export { DownloadStore, attachmentDisposition } from './DownloadStore';
