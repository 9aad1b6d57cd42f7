/**
 * Browser mode's way in for a local file: `POST /api/upload?name=…` with the file as the body;
 * the server answers the path to pass to `trace:open` (see shared/contract/wsProtocol.ts).
 */
import { UPLOAD_PATH, type UploadResponse } from '../../shared/contract';

/** Progress of an upload, in bytes. */
export interface UploadProgress {
  sentBytes: number;
  totalBytes: number;
}

/** Options of `uploadFile`. */
export interface UploadOptions {
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

/** The URL a file named `name` is uploaded to (relative to the page's origin). */
export function uploadUrl(name: string): string {
  return `${UPLOAD_PATH}?name=${encodeURIComponent(name)}`;
}

/**
 * Uploads `file` and resolves with the server-side path.
 *
 * Uses XMLHttpRequest where it exists because only it reports upload progress (fetch cannot
 * observe a request body as it goes); falls back to `fetch` otherwise. The token cookie the
 * server set with the page goes with the request. Rejects with the server's message on a non-2xx
 * answer, and with an `AbortError` when `signal` aborts.
 */
export function uploadFile(file: File, options: UploadOptions = {}): Promise<UploadResponse> {
  if (typeof XMLHttpRequest === 'undefined') return uploadWithFetch(file, options);
  return new Promise<UploadResponse>((resolve, reject) => {
    const request = new XMLHttpRequest();
    const { onProgress, signal } = options;
    const onAbort = (): void => request.abort();
    request.open('POST', uploadUrl(file.name));
    request.setRequestHeader('Content-Type', 'application/octet-stream');
    request.responseType = 'text';
    request.upload.onprogress = (event) => {
      onProgress?.({ sentBytes: event.loaded, totalBytes: event.total || file.size });
    };
    request.onload = () => {
      signal?.removeEventListener('abort', onAbort);
      try {
        resolve(readAnswer(request.status, String(request.responseText), file.name));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    request.onerror = () => {
      signal?.removeEventListener('abort', onAbort);
      reject(new Error(`${file.name}: the upload failed (is the Dropscope server still running?)`));
    };
    request.onabort = () => {
      signal?.removeEventListener('abort', onAbort);
      reject(new DOMException(`${file.name}: upload cancelled`, 'AbortError'));
    };
    if (signal?.aborted) {
      reject(new DOMException(`${file.name}: upload cancelled`, 'AbortError'));
      return;
    }
    signal?.addEventListener('abort', onAbort);
    request.send(file);
  });
}

async function uploadWithFetch(file: File, options: UploadOptions): Promise<UploadResponse> {
  const response = await fetch(uploadUrl(file.name), {
    method: 'POST',
    body: file,
    headers: { 'Content-Type': 'application/octet-stream' },
    credentials: 'same-origin',
    signal: options.signal ?? null,
  });
  const text = await response.text();
  options.onProgress?.({ sentBytes: file.size, totalBytes: file.size });
  return readAnswer(response.status, text, file.name);
}

function readAnswer(status: number, text: string, name: string): UploadResponse {
  if (status < 200 || status >= 300) {
    throw new Error(`${name}: upload refused (${status}${text ? `: ${text.trim()}` : ''})`);
  }
  const answer = JSON.parse(text) as Partial<UploadResponse>;
  if (typeof answer.path !== 'string' || answer.path === '') {
    throw new Error(`${name}: the server did not say where it stored the upload`);
  }
  return { path: answer.path, name: answer.name ?? name, bytes: answer.bytes ?? 0 };
}

/** Whether an error is an abort (a cancelled upload or load), which is not worth reporting. */
export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
