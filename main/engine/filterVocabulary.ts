/**
 * The vocabulary the display-filter parser checks names against: every reason name of every
 * kernel table, and the reasons of each category (`reason.category == tcp`).
 */
import type { FilterVocabulary } from '../../shared/filter';
import { describeReason, REASON_CATEGORIES } from '../../shared/reasons';
import { allReasonNames } from '../kernel';

let cached: FilterVocabulary | null = null;

/** The filter vocabulary (built once). */
export function filterVocabulary(): FilterVocabulary {
  if (cached) return cached;
  const reasonNames = allReasonNames();
  const byCategory = new Map<string, string[]>();
  for (const name of reasonNames) {
    const category = describeReason(name).category;
    const list = byCategory.get(category) ?? [];
    list.push(name);
    byCategory.set(category, list);
  }
  cached = {
    reasonNames,
    categoryReasons: (category) => {
      const key = category.toLowerCase();
      if (!(REASON_CATEGORIES as readonly string[]).includes(key)) return null;
      return byCategory.get(key) ?? [];
    },
  };
  return cached;
}
