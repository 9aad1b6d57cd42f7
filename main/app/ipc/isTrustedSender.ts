/**
 * Which page may call the contract over IPC: only the app's own renderer (the built
 * out/renderer/index.html over file://, or the dev server's origin in development). Pure: the
 * frame comes in as its URL and whether it is a top frame, so this is unit-tested under Node.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the app's renderer is loaded from. */
export type RendererLocation = { kind: 'file'; indexFile: string } | { kind: 'url'; url: string };

/**
 * Whether a frame is the app's renderer. Subframes are never trusted (the app has none; an
 * injected iframe must not reach the contract), nor any other file or origin.
 */
export function isTrustedSender(
  frame: { url: string; isTopFrame: boolean } | null,
  renderer: RendererLocation,
): boolean {
  if (!frame?.isTopFrame) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  if (renderer.kind === 'url') return url.origin === new URL(renderer.url).origin;
  if (url.protocol !== 'file:' || url.host !== '') return false;
  url.search = '';
  url.hash = '';
  return resolve(fileURLToPath(url)) === resolve(renderer.indexFile);
}
