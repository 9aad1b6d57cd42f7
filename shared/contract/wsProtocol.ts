/**
 * Browser mode's wire protocol: the contract over one WebSocket, plus the HTTP routes around it.
 *
 * - The server prints `http://127.0.0.1:PORT/?token=TOKEN`. `GET /?token=TOKEN` answers the
 *   renderer's index.html and sets the `dropscope_token` cookie (HttpOnly, SameSite=Strict);
 *   every other request (assets, `/ws`, `/api/upload`) needs that cookie or `?token=`, else 403.
 * - `GET /ws` upgrades to a WebSocket carrying JSON messages: `WsRequest` from the page,
 *   `WsResponse` and `WsPush` from the server.
 * - `POST /api/upload?name=FILE` streams the request body (the file's bytes) to a private temp
 *   file, allowlists it for `trace:open`, and answers `UploadResponse` as JSON.
 * - `GET /api/download?id=ID` answers an export's file (see `DOWNLOAD_PATH`).
 */
import type { Channel, PushEvent, PushEvents } from './Contract';

/** Name of the token cookie. */
export const TOKEN_COOKIE = 'dropscope_token';

/** Path of the WebSocket endpoint. */
export const WS_PATH = '/ws';

/** Path of the upload endpoint. */
export const UPLOAD_PATH = '/api/upload';

/**
 * Path of the download endpoint: `GET /api/download?id=ID` answers a file a `report:export`
 * wrote in browser mode (token-checked like every route, as an attachment).
 */
export const DOWNLOAD_PATH = '/api/download';

/** A call from the page. */
export interface WsRequest {
  id: number;
  channel: Channel;
  request: unknown;
}

/** The answer to one call. */
export type WsResponse =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** A push event from the server. */
export interface WsPush<E extends PushEvent = PushEvent> {
  push: E;
  payload: PushEvents[E];
}

/** What `POST /api/upload` answers: the server-side path to pass to `trace:open`. */
export interface UploadResponse {
  path: string;
  name: string;
  bytes: number;
}
