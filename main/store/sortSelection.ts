/**
 * Orders a selection by one field, stably (ties keep event order).
 *
 * Every field is first turned into dense integer ranks — dictionary fields by sorting the
 * dictionary once, small numeric fields by sorting their distinct values — and the selection is
 * then ordered by a counting sort in O(n + distinct values). Time is the exception: traces are
 * almost always already in time order, which is detected in O(n); otherwise a comparison sort
 * runs once and the result is cached by the caller.
 */
import type { SortSpec } from '../../shared/model';
import { CHUNK_BITS, CHUNK_MASK } from './Column';
import type { EventStore } from './EventStore';
import type { Selection } from './compileFilter';

/** Returns `selection` ordered by `sort` (a new array; the input is not modified). */
export function sortSelection(store: EventStore, selection: Selection, sort: SortSpec): Selection {
  const descending = sort.direction === 'desc';
  if (sort.field === 'time') return sortByTime(store, selection, descending);
  const { column, dictionary } = store.fieldColumn(sort.field);
  const n = selection.length;
  const keys = new Int32Array(n);
  let rankCount: number;
  if (dictionary) {
    const lexical = dictionary.lexicalRanks();
    // Nulls (-1) sort first: rank 0; entries shift by one.
    const chunks = column.chunks;
    for (let i = 0; i < n; i++) {
      const event = selection[i] as number;
      const id = chunks[event >>> CHUNK_BITS]?.[event & CHUNK_MASK] ?? -1;
      keys[i] = id < 0 ? 0 : (lexical[id] as number) + 1;
    }
    rankCount = lexical.length + 1;
  } else {
    const distinct = new Set<number>();
    for (let i = 0; i < n; i++) distinct.add(column.get(selection[i] as number));
    const ordered = [...distinct].sort((a, b) => a - b);
    const rankOf = new Map(ordered.map((value, rank) => [value, rank] as const));
    for (let i = 0; i < n; i++) keys[i] = rankOf.get(column.get(selection[i] as number)) as number;
    rankCount = ordered.length;
  }
  if (descending) for (let i = 0; i < n; i++) keys[i] = rankCount - 1 - (keys[i] as number);
  return countingSort(selection, keys, rankCount);
}

function countingSort(selection: Selection, keys: Int32Array, rankCount: number): Selection {
  const starts = new Uint32Array(rankCount + 1);
  for (let i = 0; i < keys.length; i++) {
    const slot = (keys[i] as number) + 1;
    starts[slot] = (starts[slot] as number) + 1;
  }
  for (let r = 0; r < rankCount; r++)
    starts[r + 1] = (starts[r + 1] as number) + (starts[r] as number);
  const out = new Uint32Array(selection.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as number;
    out[starts[key] as number] = selection[i] as number;
    starts[key] = (starts[key] as number) + 1;
  }
  return out;
}

function sortByTime(store: EventStore, selection: Selection, descending: boolean): Selection {
  const chunks = store.columns.timeNs.chunks;
  const n = selection.length;
  const keyOf = (id: number): number => {
    const t = chunks[id >>> CHUNK_BITS]?.[id & CHUNK_MASK] ?? Number.NaN;
    // Events without a time sort first (as nulls do for other fields).
    return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
  };
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) {
    if (keyOf(selection[i] as number) < keyOf(selection[i - 1] as number)) sorted = false;
  }
  let ascending: Selection;
  if (sorted) ascending = selection.slice();
  else {
    ascending = selection.slice();
    ascending.sort((a, b) => keyOf(a) - keyOf(b) || a - b);
  }
  if (!descending) return ascending;
  // Descending but stable: reverse runs of equal times back into event order.
  const out = new Uint32Array(n);
  let w = 0;
  let end = n;
  while (end > 0) {
    let start = end - 1;
    const t = keyOf(ascending[start] as number);
    while (start > 0 && keyOf(ascending[start - 1] as number) === t) start--;
    for (let i = start; i < end; i++) out[w++] = ascending[i] as number;
    end = start;
  }
  return out;
}
