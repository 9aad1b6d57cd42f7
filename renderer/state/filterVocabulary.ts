/**
 * The vocabulary typed filters are checked against: every reason name in Dropscope's catalogue,
 * and categories by key (`tcp`) or label (`Netfilter & LSM`), any case.
 */
import type { FilterVocabulary } from '../../shared/filter';
import {
  catalogueReasonNames,
  categoryInfo,
  describeReason,
  REASON_CATEGORIES,
} from '../../shared/reasons';

let cached: FilterVocabulary | null = null;

/**
 * The catalogue vocabulary, built once (the parser caches per `reasonNames` array, so the same
 * object must be passed every time).
 */
export function catalogueVocabulary(): FilterVocabulary {
  if (cached) return cached;
  const reasonNames = catalogueReasonNames();
  const byCategory = new Map<string, string[]>();
  for (const name of reasonNames) {
    const category = describeReason(name).category;
    const list = byCategory.get(category) ?? [];
    list.push(name);
    byCategory.set(category, list);
  }
  const aliases = new Map<string, string>();
  for (const category of REASON_CATEGORIES) {
    aliases.set(category, category);
    aliases.set(categoryInfo(category).label.toLowerCase(), category);
  }
  cached = {
    reasonNames,
    categoryReasons(category) {
      const key = aliases.get(category.trim().toLowerCase());
      return key === undefined ? null : (byCategory.get(key) ?? []);
    },
  };
  return cached;
}
