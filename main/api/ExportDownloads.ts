/**
 * Where browser mode writes exports: a private file per export that the page then downloads
 * (`GET /api/download?id=…`). The server implements it (main/server/DownloadStore.ts); the API
 * only reserves and discards.
 */

/** A reserved download: the file to write and the id the page fetches it with. */
export interface ReservedDownload {
  id: string;
  path: string;
}

/** Private files for exports, served back to the page that asked. */
export interface ExportDownloads {
  /** A fresh private path for a file to be offered as `fileName`, and its download id. */
  reserve(fileName: string): Promise<ReservedDownload>;
  /** Forgets a reservation and deletes its file (the export failed). */
  discard(id: string): Promise<void>;
}
