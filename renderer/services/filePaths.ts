/**
 * Turns a `File` the user picked or dropped into a path main can open with `trace:open`.
 *
 * Desktop: the preload's `pathForFile` (Electron's webUtils) gives the file's real path, nothing
 * is copied. Browser mode: the file is uploaded to the server, which answers a path.
 */
import type { RendererBridge } from '../../shared/contract';
import { uploadFile, type UploadProgress } from './upload';

/** Resolves a `File` to a path for `trace:open`, reporting upload progress where there is one. */
export type FilePathResolver = (
  file: File,
  onProgress: (progress: UploadProgress) => void,
  signal: AbortSignal,
) => Promise<string>;

/** The resolver for this page: `pathForFile` with a bridge, upload without. */
export function createFilePathResolver(bridge: RendererBridge | undefined): FilePathResolver {
  if (bridge) {
    return (file) => {
      const path = bridge.pathForFile(file);
      if (!path) {
        return Promise.reject(
          new Error(`${file.name}: this file has no path on disk (drop or pick a saved file)`),
        );
      }
      return Promise.resolve(path);
    };
  }
  return async (file, onProgress, signal) => (await uploadFile(file, { onProgress, signal })).path;
}
