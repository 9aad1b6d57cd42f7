export { assertNever } from './assertNever';
export { invariant } from './invariant';
export { ok, err } from './Result';
export type { Result } from './Result';
