/**
 * Requests and results of the store's queries (pages, histograms, counts).
 */
import type { DropRow, EventField } from './DropEvent';
import type { FilterSpec } from './FilterSpec';

/** Sort order of a page: one field, ascending or descending; ties keep event order. */
export interface SortSpec {
  field: EventField;
  direction: 'asc' | 'desc';
}

/** A page request: rows `[start, end)` of the filtered, sorted view. */
export interface PageRequest {
  filter: FilterSpec;
  sort?: SortSpec | null;
  start: number;
  end: number;
}

/** A page of rows plus the total row count of the filtered view. */
export interface Page {
  rows: DropRow[];
  total: number;
}

/** A histogram request: buckets of `bucketNs` from `startNs`, optionally split by a field. */
export interface HistogramRequest {
  filter: FilterSpec;
  startNs: number;
  bucketNs: number;
  buckets: number;
  splitBy?: EventField | null;
  /** Keep the top N series by count; the rest are summed under `other`. */
  maxSeries?: number;
}

/** One series of a histogram: `counts[i]` is the count of bucket i. */
export interface HistogramSeries {
  key: string;
  total: number;
  counts: Uint32Array;
}

/** A histogram result. */
export interface Histogram {
  startNs: number;
  bucketNs: number;
  buckets: number;
  series: HistogramSeries[];
  /** Events outside the covered range or without a timestamp. */
  outside: number;
}

/** One value of a field and how many events have it. */
export interface CountEntry {
  key: string;
  count: number;
}

/** Counts by one field, largest first. */
export interface Counts {
  field: EventField;
  total: number;
  entries: CountEntry[];
}

/** One cell of a two-field breakdown. */
export interface CrossCountEntry {
  a: string;
  b: string;
  count: number;
}

/** Counts by two fields (reason × location), largest first. */
export interface CrossCounts {
  fieldA: EventField;
  fieldB: EventField;
  total: number;
  entries: CrossCountEntry[];
}
