/**
 * FacetsPanel: the top values of reason, location, protocol, comm and cpu under the trace's
 * current filter (time range included), with their counts. Click includes a value, Alt+click (or
 * the − button) excludes it; clicking an active value again removes it.
 */
import { useState, type MouseEvent } from 'react';
import type { EventField } from '../../../shared/model';
import { ReasonChip, formatCount, formatPercent } from '../../components';
import { facetValue, hasValue, useFilterActions, useTraceFilter } from '../../state';
import { useFacetCounts } from './useFacetCounts';

/** The facet fields, in the order shown. */
export const FACET_FIELDS: readonly { field: EventField; label: string }[] = [
  { field: 'reason', label: 'Reason' },
  { field: 'location', label: 'Location' },
  { field: 'protocol', label: 'Protocol' },
  { field: 'comm', label: 'Command' },
  { field: 'cpu', label: 'CPU' },
];

const FEW = 8;
const MANY = 100;

/** Props of the facets panel. */
export interface FacetsPanelProps {
  traceId: string;
}

/** The facets sidebar (see the file overview). */
export function FacetsPanel({ traceId }: FacetsPanelProps) {
  return (
    <aside className="panel facets-panel" data-testid="facets" aria-label="Facets">
      {FACET_FIELDS.map(({ field, label }) => (
        <Facet key={field} traceId={traceId} field={field} label={label} />
      ))}
      <p className="facets-hint">Click to include · Alt+click to exclude</p>
    </aside>
  );
}

/** Props of one facet. */
interface FacetProps {
  traceId: string;
  field: EventField;
  label: string;
}

/** One field's top values. */
function Facet({ traceId, field, label }: FacetProps) {
  const filter = useTraceFilter(traceId);
  const { toggleValue } = useFilterActions();
  const [isExpanded, setExpanded] = useState(false);
  const [isCollapsed, setCollapsed] = useState(false);
  const limit = isExpanded ? MANY : FEW + 1;
  const { data, error, isLoading } = useFacetCounts(
    traceId,
    filter.spec,
    field,
    limit,
    !isCollapsed,
  );
  const entries = data?.entries ?? [];
  const shown = isExpanded ? entries : entries.slice(0, FEW);
  const total = data?.total ?? 0;

  const onPick = (key: string, exclude: boolean) =>
    toggleValue(traceId, field, facetValue(field, key), exclude);

  return (
    <section className="facet" data-testid={`facet-${field}`} aria-busy={isLoading}>
      <h3 className="facet-title">
        <button
          type="button"
          className="facet-toggle"
          aria-expanded={!isCollapsed}
          onClick={() => setCollapsed(!isCollapsed)}
        >
          <span className="facet-caret">{isCollapsed ? '▸' : '▾'}</span>
          {label}
        </button>
      </h3>
      {!isCollapsed && (
        <>
          {error !== null && <p className="facet-error">{error}</p>}
          {error === null && data !== undefined && entries.length === 0 && (
            <p className="facet-empty">No drop matches.</p>
          )}
          <ul className="facet-list">
            {shown.map((entry) => {
              const value = facetValue(field, entry.key);
              const isIncluded = hasValue(filter.clauses, field, value, false);
              const share = total > 0 ? entry.count / total : 0;
              return (
                <li
                  key={entry.key}
                  className={isIncluded ? 'facet-item is-included' : 'facet-item'}
                >
                  <button
                    type="button"
                    className="facet-value"
                    data-testid="facet-item"
                    data-field={field}
                    data-value={entry.key}
                    aria-pressed={isIncluded}
                    title={`${entry.key}: ${formatCount(entry.count)} (${formatPercent(entry.count, total)}). Click to ${isIncluded ? 'remove' : 'include'}, Alt+click to exclude.`}
                    onClick={(event: MouseEvent) => onPick(entry.key, event.altKey)}
                  >
                    <span className="facet-bar" style={{ width: `${share * 100}%` }} />
                    <span className="facet-label">
                      {field === 'reason' ? (
                        <ReasonChip reason={entry.key} />
                      ) : field === 'cpu' && entry.key !== '(none)' ? (
                        `CPU ${entry.key}`
                      ) : (
                        entry.key
                      )}
                    </span>
                    <span className="facet-count">{formatCount(entry.count)}</span>
                  </button>
                  <button
                    type="button"
                    className="facet-exclude"
                    data-testid="facet-exclude"
                    aria-label={`Exclude ${entry.key}`}
                    title="Exclude"
                    onClick={() => onPick(entry.key, true)}
                  >
                    −
                  </button>
                </li>
              );
            })}
          </ul>
          {(entries.length > FEW || isExpanded) && (
            <button
              type="button"
              className="link-button facet-more"
              data-testid="facet-more"
              onClick={() => setExpanded(!isExpanded)}
            >
              {isExpanded ? 'Show fewer' : 'Show more'}
            </button>
          )}
        </>
      )}
    </section>
  );
}
