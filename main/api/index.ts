export { createApi, ApiError, memoryRecentFiles } from './createApi';
export type { Api, ApiOptions, RecentFiles } from './createApi';
export type { ExportDownloads, ReservedDownload } from './ExportDownloads';
