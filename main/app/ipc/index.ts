/**
 * The Electron side of the contract: IPC handlers (with the sender check) and the typed push
 * helper, the only code that sends to the renderer.
 */
export { registerIpc } from './registerIpc';
export type { IpcOutcome } from './registerIpc';
export { push } from './push';
export { isTrustedSender } from './isTrustedSender';
export type { RendererLocation } from './isTrustedSender';
