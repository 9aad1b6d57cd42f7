export { createApi, ApiError, memoryRecentFiles } from './createApi';
export type { Api, ApiOptions, RecentFiles } from './createApi';
