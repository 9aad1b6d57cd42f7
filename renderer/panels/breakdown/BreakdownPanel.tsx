/**
 * BreakdownPanel: drops by reason × location under the trace's filter (`trace:crossCounts`),
 * grouped by reason, with counts and shares. Clicking a row filters to it.
 */
import { useMemo } from 'react';
import type { CrossCounts } from '../../../shared/model';
import { ReasonChip, formatCount, formatPercent } from '../../components';
import { useApi, useQuery } from '../../services';
import {
  facetValue,
  useFilterActions,
  useFilterSpec,
  useTraceDataVersion,
  useTraceRevision,
} from '../../state';

/** Props of the breakdown panel. */
export interface BreakdownPanelProps {
  traceId: string;
}

const CELL_LIMIT = 2000;

/** One reason and its locations, largest first. */
export interface ReasonGroup {
  reason: string;
  count: number;
  locations: { location: string; count: number }[];
}

/** Groups reason × location cells by reason, both levels largest first. */
export function groupByReason(counts: CrossCounts): ReasonGroup[] {
  const groups = new Map<string, ReasonGroup>();
  for (const entry of counts.entries) {
    let group = groups.get(entry.a);
    if (!group) {
      group = { reason: entry.a, count: 0, locations: [] };
      groups.set(entry.a, group);
    }
    group.count += entry.count;
    group.locations.push({ location: entry.b, count: entry.count });
  }
  const sorted = [...groups.values()].sort(
    (x, y) => y.count - x.count || (x.reason < y.reason ? -1 : 1),
  );
  for (const group of sorted) group.locations.sort((x, y) => y.count - x.count);
  return sorted;
}

/** The breakdown view (see the file overview). */
export function BreakdownPanel({ traceId }: BreakdownPanelProps) {
  const api = useApi();
  const spec = useFilterSpec(traceId);
  const revision = useTraceRevision(traceId);
  const dataVersion = useTraceDataVersion(traceId);
  const { toggleValue } = useFilterActions();
  const { data, error, isLoading } = useQuery(
    JSON.stringify([traceId, revision, dataVersion, spec]),
    () => api.crossCounts(traceId, spec, 'reason', 'location', CELL_LIMIT),
  );
  const groups = useMemo(() => (data ? groupByReason(data) : []), [data]);
  const total = data?.total ?? 0;
  const shownCells = data?.entries.length ?? 0;

  const filterTo = (reason: string, location: string | null) => {
    toggleValue(traceId, 'reason', facetValue('reason', reason), false);
    if (location !== null)
      toggleValue(traceId, 'location', facetValue('location', location), false);
  };

  return (
    <section className="panel breakdown-panel" data-testid="breakdown" aria-busy={isLoading}>
      <header className="panel-header">
        <h2>Reason × location</h2>
        <span className="muted">
          {formatCount(total)} drops
          {shownCells >= CELL_LIMIT && ` · the ${formatCount(CELL_LIMIT)} largest pairs`}
        </span>
      </header>
      {error !== null && <p className="facet-error">{error}</p>}
      <div className="table-scroll">
        <table className="data-table breakdown-table">
          <thead>
            <tr>
              <th>Reason / location</th>
              <th className="num">Drops</th>
              <th className="num">% of all</th>
              <th className="num">% of reason</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((group) => (
              <BreakdownGroup key={group.reason} group={group} total={total} onPick={filterTo} />
            ))}
            {data && groups.length === 0 && (
              <tr>
                <td colSpan={4} className="muted">
                  No drop matches the filter.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Props of one reason's rows. */
interface BreakdownGroupProps {
  group: ReasonGroup;
  total: number;
  onPick: (reason: string, location: string | null) => void;
}

function BreakdownGroup({ group, total, onPick }: BreakdownGroupProps) {
  return (
    <>
      <tr
        className="breakdown-reason"
        data-testid="breakdown-reason-row"
        data-reason={group.reason}
        onClick={() => onPick(group.reason, null)}
        title="Filter to this reason"
      >
        <td>
          <ReasonChip reason={group.reason} />
        </td>
        <td className="num">{formatCount(group.count)}</td>
        <td className="num">{formatPercent(group.count, total)}</td>
        <td className="num" />
      </tr>
      {group.locations.map((cell) => (
        <tr
          key={cell.location}
          className="breakdown-location"
          data-testid="breakdown-row"
          data-reason={group.reason}
          data-location={cell.location}
          onClick={() => onPick(group.reason, cell.location)}
          title="Filter to this reason at this location"
        >
          <td className="mono indent">{cell.location}</td>
          <td className="num">{formatCount(cell.count)}</td>
          <td className="num">{formatPercent(cell.count, total)}</td>
          <td className="num">{formatPercent(cell.count, group.count)}</td>
        </tr>
      ))}
    </>
  );
}
