/**
 * Counts of one field under a filter, for the facets and the filter bar's value completion.
 */
import type { Counts, EventField, FilterSpec } from '../../../shared/model';
import { useApi, useQuery, type QueryState } from '../../services';
import { useTraceDataVersion, useTraceRevision } from '../../state';

/**
 * `trace:counts` of `field` under `filter`, top `limit` values; asks again when the filter, the
 * limit or the trace's decoding changes. `isEnabled: false` asks nothing.
 */
export function useFacetCounts(
  traceId: string,
  filter: FilterSpec,
  field: EventField,
  limit: number,
  isEnabled = true,
): QueryState<Counts> {
  const api = useApi();
  const revision = useTraceRevision(traceId);
  const dataVersion = useTraceDataVersion(traceId);
  const key = isEnabled
    ? JSON.stringify([traceId, revision, dataVersion, field, limit, filter])
    : null;
  return useQuery(key, () => api.counts(traceId, filter, field, limit));
}
