/**
 * Services of the renderer: the transport, typed contract calls, uploads and local storage.
 */
export { createDropscopeApi, downloadUrl, errorMessage } from './api';
export type { DropscopeApi, ExportRequest, StartCaptureRequest } from './api';
export { ApiProvider, useApi } from './ApiContext';
export { useQuery } from './useQuery';
export type { QueryState } from './useQuery';
export { uploadFile, uploadUrl, isAbortError } from './upload';
export type { UploadProgress, UploadOptions } from './upload';
export { createFilePathResolver } from './filePaths';
export type { FilePathResolver } from './filePaths';
export { browserStorage, memoryStorage, readJson, writeJson } from './storage';
export type { KeyValueStorage } from './storage';
export * from './transport';
