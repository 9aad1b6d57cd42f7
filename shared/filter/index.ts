/**
 * The display-filter language: Wireshark-like text ⇄ the store's `FilterExpr` tree.
 *
 * `parseFilter` reads text into a tree (or a positioned error, never an exception) and
 * `formatFilter` prints a tree back as text that parses to an equivalent tree.
 */
export { parseFilter, MAX_FILTER_NESTING } from './parseFilter';
export type { ParseFilterResult } from './parseFilter';
export { formatFilter } from './formatFilter';
export type { FilterError } from './FilterError';
export type { FilterVocabulary } from './FilterVocabulary';
