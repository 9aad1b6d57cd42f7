/**
 * The grid's Infinite Row Model datasource: each block the grid asks for becomes `trace:page`
 * calls of at most one block under the current filter and sort.
 *
 * Motivation: the grid never holds more than its cached blocks (`maxBlocksInCache` × 200 rows),
 * whatever the trace's size; one engine call per block keeps the number of round trips equal to
 * what is scrolled into view.
 */
import type { IDatasource, IGetRowsParams } from 'ag-grid-community';
import {
  EVENT_FIELDS,
  type DropRow,
  type EventField,
  type Page,
  type SortSpec,
} from '../../../shared/model';

/** Rows per block: the grid's `cacheBlockSize`, and the largest page ever asked for. */
export const CACHE_BLOCK_SIZE = 200;

/** Fetches rows `[start, end)` under the current filter (the panel binds the trace and filter). */
export type FetchPage = (start: number, end: number, sort: SortSpec | null) => Promise<Page>;

/** The sort of a page from the grid's sort model (first sorted column; null: event order). */
export function sortFromModel(model: IGetRowsParams['sortModel']): SortSpec | null {
  const first = model[0];
  if (!first) return null;
  const field = first.colId as EventField;
  if (!(EVENT_FIELDS as readonly string[]).includes(field)) return null;
  return { field, direction: first.sort === 'desc' ? 'desc' : 'asc' };
}

/** Callbacks of the datasource. */
export interface DropDatasourceEvents {
  /** The filtered view's row count, after every page. */
  onTotal?: (total: number) => void;
  onError?: (error: unknown) => void;
}

/**
 * Creates the datasource.
 *
 * The grid's column filters are ignored here: they are clauses of the panel's filter already
 * (so the summary, facets and timeline count with them too).
 */
export function createDropDatasource(
  fetchPage: FetchPage,
  events: DropDatasourceEvents = {},
): IDatasource {
  return {
    getRows(params: IGetRowsParams<DropRow>): void {
      const sort = sortFromModel(params.sortModel);
      const requests: Promise<Page>[] = [];
      for (let start = params.startRow; start < params.endRow; start += CACHE_BLOCK_SIZE) {
        requests.push(fetchPage(start, Math.min(params.endRow, start + CACHE_BLOCK_SIZE), sort));
      }
      Promise.all(requests).then(
        (pages) => {
          const rows = pages.flatMap((page) => page.rows);
          const total = pages[pages.length - 1]?.total ?? 0;
          events.onTotal?.(total);
          params.successCallback(rows, total);
        },
        (error: unknown) => {
          events.onError?.(error);
          params.failCallback();
        },
      );
    },
  };
}
