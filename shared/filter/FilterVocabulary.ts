/**
 * What the filter language needs to know about the loaded traces' reasons.
 */

/**
 * Reason names and categories the parser checks `reason` values against.
 *
 * `reasonNames` are the known names, with or without the `SKB_DROP_REASON_` prefix, subsystem
 * reasons as `SUBSYS:NAME` (as `catalogueReasonNames()` of shared/reasons lists them); an empty
 * list accepts every name (nothing to check against). Pass the same array object on every call:
 * the parser caches its normalized form per array.
 * `categoryReasons(category)` gives the reason names of a category as the user wrote it (the
 * vocabulary decides whether case matters), or null when there is no such category; without it,
 * `reason.category` is rejected.
 */
export interface FilterVocabulary {
  reasonNames: readonly string[];
  categoryReasons?(category: string): readonly string[] | null;
}
