export { nanoseconds, parseSecondsToNs, formatSeconds } from './Nanoseconds';
export type { Nanoseconds } from './Nanoseconds';
