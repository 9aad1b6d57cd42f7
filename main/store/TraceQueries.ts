/**
 * The query facade of one store, with the caches that make paging cheap.
 *
 * The grid asks for many small pages under one filter and sort; the filter's selection and the
 * sorted order are computed once and kept (a few recent ones, keyed by the filter's JSON and the
 * store's generation), so each further page costs O(page size).
 */
import type {
  Counts,
  CrossCounts,
  DropRow,
  EventField,
  FilterSpec,
  Histogram,
  HistogramRequest,
  Page,
  PageRequest,
  SortSpec,
} from '../../shared/model';
import type { EventStore } from './EventStore';
import { selectEvents, type Selection } from './compileFilter';
import { countBy, countByPair, eventsOfSkbaddr, histogram, pageRows } from './queries';
import { sortSelection } from './sortSelection';

const CACHE_ENTRIES = 6;

/** Queries over one `EventStore`, with selection and sort caches. Not thread-safe (one engine thread). */
export class TraceQueries {
  private readonly cache = new Map<string, Selection>();

  constructor(readonly store: EventStore) {}

  private remember(key: string, compute: () => Selection): Selection {
    const full = `${this.store.generation}|${key}`;
    const hit = this.cache.get(full);
    if (hit) {
      // Refresh recency.
      this.cache.delete(full);
      this.cache.set(full, hit);
      return hit;
    }
    const value = compute();
    this.cache.set(full, value);
    while (this.cache.size > CACHE_ENTRIES) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return value;
  }

  /** Event ids passing `filter`, in event order (cached). */
  select(filter: FilterSpec): Selection {
    return this.remember(`select:${JSON.stringify(filter)}`, () =>
      selectEvents(this.store, filter),
    );
  }

  /** Event ids passing `filter`, in `sort` order (cached). */
  ordered(filter: FilterSpec, sort: SortSpec | null | undefined): Selection {
    const selection = this.select(filter);
    if (!sort) return selection;
    return this.remember(`sort:${sort.field}:${sort.direction}:${JSON.stringify(filter)}`, () =>
      sortSelection(this.store, selection, sort),
    );
  }

  /** Rows `[start, end)` of the filtered, sorted view and its total. */
  page(request: PageRequest): Page {
    const ordered = this.ordered(request.filter, request.sort);
    return {
      rows: pageRows(this.store, ordered, request.start, request.end),
      total: ordered.length,
    };
  }

  /** Time histogram of the filtered view. */
  histogram(request: HistogramRequest): Histogram {
    return histogram(this.store, this.select(request.filter), request);
  }

  /** Counts by one field of the filtered view. */
  counts(filter: FilterSpec, field: EventField, limit?: number): Counts {
    return countBy(this.store, this.select(filter), field, limit);
  }

  /** Counts by two fields of the filtered view. */
  crossCounts(
    filter: FilterSpec,
    fieldA: EventField,
    fieldB: EventField,
    limit?: number,
  ): CrossCounts {
    return countByPair(this.store, this.select(filter), fieldA, fieldB, limit);
  }

  /** Every event of one skbaddr in time order (follow one packet). */
  eventsOfSkbaddr(skbaddr: string, limit?: number): DropRow[] {
    return eventsOfSkbaddr(this.store, skbaddr, limit);
  }
}
