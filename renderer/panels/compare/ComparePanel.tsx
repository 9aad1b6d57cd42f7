/**
 * ComparePanel: two open traces side by side (`trace:compare`): per-reason and per-location
 * counts in each, and the difference, largest change first.
 */
import { useState } from 'react';
import type { CompareRow, TraceInfo } from '../../../shared/contract';
import type { FilterSpec } from '../../../shared/model';
import { ReasonChip, formatCount, formatPercent } from '../../components';
import { useCompareActions, useComparison } from '../../state';

/** Props of the compare view. */
export interface ComparePanelProps {
  traces: readonly TraceInfo[];
  /** The active trace's filter expression (offered as an option; time ranges do not carry over). */
  activeFilter: FilterSpec;
}

const ROWS_SHOWN = 200;

/** The compare view (see the file overview). */
export function ComparePanel({ traces, activeFilter }: ComparePanelProps) {
  const { traceA, traceB, status, result, error } = useComparison();
  const { setTraces, runCompare } = useCompareActions();
  const [useFilter, setUseFilter] = useState(false);
  const a = traceA ?? traces[0]?.traceId ?? null;
  const b = traceB ?? traces[1]?.traceId ?? null;
  const hasExpression = activeFilter.expr != null;

  const run = () => {
    setTraces(a, b);
    void runCompare(useFilter && hasExpression ? { expr: activeFilter.expr ?? null } : {});
  };

  return (
    <section className="panel compare-panel" data-testid="compare">
      <header className="panel-header compare-controls">
        <h2>Compare</h2>
        {traces.length < 2 ? (
          <span className="muted">Open a second trace to compare it with this one.</span>
        ) : (
          <>
            <label>
              A{' '}
              <select
                data-testid="compare-a"
                value={a ?? ''}
                onChange={(event) => setTraces(event.target.value, b)}
              >
                {traces.map((trace) => (
                  <option key={trace.traceId} value={trace.traceId}>
                    {trace.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              B{' '}
              <select
                data-testid="compare-b"
                value={b ?? ''}
                onChange={(event) => setTraces(a, event.target.value)}
              >
                {traces.map((trace) => (
                  <option key={trace.traceId} value={trace.traceId}>
                    {trace.name}
                  </option>
                ))}
              </select>
            </label>
            <label title={hasExpression ? '' : 'The active trace has no filter expression'}>
              <input
                type="checkbox"
                checked={useFilter && hasExpression}
                disabled={!hasExpression}
                data-testid="compare-use-filter"
                onChange={(event) => setUseFilter(event.target.checked)}
              />{' '}
              apply the active filter
            </label>
            <button
              type="button"
              className="button-small button-primary"
              data-testid="compare-run"
              disabled={a === null || b === null || status === 'loading'}
              onClick={run}
            >
              {status === 'loading' ? 'Comparing…' : 'Compare'}
            </button>
          </>
        )}
      </header>
      {error !== null && <p className="facet-error">{error}</p>}
      {result && (
        <div className="compare-results">
          <p className="compare-totals" data-testid="compare-totals">
            A: <strong>{result.a.name}</strong> {formatCount(result.a.events)} drops · B:{' '}
            <strong>{result.b.name}</strong> {formatCount(result.b.events)} drops
          </p>
          <div className="compare-tables">
            <CompareTable
              title="By reason"
              testId="compare-reasons"
              rows={result.reasons}
              totals={[result.a.events, result.b.events]}
              isReason
            />
            <CompareTable
              title="By location"
              testId="compare-locations"
              rows={result.locations}
              totals={[result.a.events, result.b.events]}
              isReason={false}
            />
          </div>
        </div>
      )}
    </section>
  );
}

/** Props of one comparison table. */
interface CompareTableProps {
  title: string;
  testId: string;
  rows: readonly CompareRow[];
  totals: [number, number];
  isReason: boolean;
}

function CompareTable({ title, testId, rows, totals, isReason }: CompareTableProps) {
  return (
    <div className="table-scroll compare-table" data-testid={testId}>
      <h3>{title}</h3>
      <table className="data-table">
        <thead>
          <tr>
            <th>{isReason ? 'Reason' : 'Location'}</th>
            <th className="num">A</th>
            <th className="num">B</th>
            <th className="num">Δ (B − A)</th>
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, ROWS_SHOWN).map((row) => (
            <tr key={row.key} data-testid="compare-row" data-key={row.key}>
              <td className={isReason ? undefined : 'mono'}>
                {isReason ? <ReasonChip reason={row.key} /> : row.key}
              </td>
              <td className="num" title={formatPercent(row.a, totals[0])}>
                {formatCount(row.a)}
              </td>
              <td className="num" title={formatPercent(row.b, totals[1])}>
                {formatCount(row.b)}
              </td>
              <td
                className={`num ${row.delta > 0 ? 'delta-up' : row.delta < 0 ? 'delta-down' : ''}`}
              >
                {row.delta > 0 ? '+' : row.delta < 0 ? '−' : ''}
                {formatCount(Math.abs(row.delta))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > ROWS_SHOWN && (
        <p className="muted">
          The {ROWS_SHOWN} largest changes of {formatCount(rows.length)}.
        </p>
      )}
    </div>
  );
}
