/**
 * The fields a filter can name, and the kind of value each takes.
 */
import type { EventField } from '../model';
import { nearestNames } from './nearestNames';

/**
 * A field of the filter language.
 *
 * `kind` decides the operators and values it takes: `time` (seconds since the capture start),
 * `number`, `protocol` (ethertype name or number), `text` (any word or string), `reason` (a known
 * reason name), `category` (a reason category, compiled to the list of its reasons) and
 * `unavailable` (named so the error can say why it cannot be used yet).
 */
export type FilterField =
  | { name: string; kind: 'time' | 'number' | 'protocol' | 'text' | 'reason'; column: EventField }
  | { name: string; kind: 'category'; column: 'reason' }
  | { name: string; kind: 'unavailable'; column: null; whyUnavailable: string };

/** Every field, in the order the error messages list them. */
export const FILTER_FIELDS: readonly FilterField[] = [
  { name: 'time', kind: 'time', column: 'time' },
  { name: 'cpu', kind: 'number', column: 'cpu' },
  { name: 'pid', kind: 'number', column: 'pid' },
  { name: 'comm', kind: 'text', column: 'comm' },
  { name: 'skbaddr', kind: 'text', column: 'skbaddr' },
  { name: 'rx_sk', kind: 'text', column: 'rx_sk' },
  { name: 'protocol', kind: 'protocol', column: 'protocol' },
  { name: 'location', kind: 'text', column: 'location' },
  { name: 'reason', kind: 'reason', column: 'reason' },
  { name: 'reason.value', kind: 'number', column: 'reason.value' },
  { name: 'reason.category', kind: 'category', column: 'reason' },
  {
    name: 'file',
    kind: 'unavailable',
    column: null,
    whyUnavailable:
      "the field 'file' is not available yet: events do not record which file they came from",
  },
];

const USABLE_FIELD_NAMES = FILTER_FIELDS.filter((field) => field.kind !== 'unavailable').map(
  (field) => field.name,
);

/** The field named `name` (any case), or null. */
export function findFilterField(name: string): FilterField | null {
  const lower = name.toLowerCase();
  return FILTER_FIELDS.find((field) => field.name === lower) ?? null;
}

/**
 * The field a mistyped name most likely meant: one it starts (`proto` → `protocol`), else the
 * nearest by edit distance when close enough (`reasn` → `reason`); null when nothing is close.
 */
export function suggestFilterField(name: string): string | null {
  const lower = name.toLowerCase();
  if (lower.length >= 2) {
    const completed = USABLE_FIELD_NAMES.find((field) => field.startsWith(lower));
    if (completed !== undefined) return completed;
  }
  const maxDistance = Math.max(2, Math.floor(lower.length / 3));
  return nearestNames(lower, USABLE_FIELD_NAMES, 1, maxDistance)[0] ?? null;
}

/** The usable field names, comma-separated, for "fields are …" messages. */
export function listFilterFields(): string {
  return USABLE_FIELD_NAMES.join(', ');
}
