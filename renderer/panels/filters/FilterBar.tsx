/**
 * FilterBar: the typed filter expression of the active trace, its chips and its time range.
 *
 * The input shows the chips printed as an expression; editing it and pressing Enter applies the
 * new text (its top-level `and`s become chips). Text that does not parse shows the error with a
 * caret under the position, and the last valid filter stays applied. Completion offers fields,
 * operators, `and`/`or`, and the values present in the trace; with an empty input, the history.
 * Save… keeps the bar's expression under a name; Saved lists the named filters to apply them.
 */
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { formatFilter } from '../../../shared/filter';
import type { FilterExpr, TimeRange } from '../../../shared/model';
import { REASON_CATEGORIES } from '../../../shared/reasons';
import { formatSeconds } from '../../../shared/time';
import {
  joinClauses,
  labelClause,
  useFilterActions,
  useFilterHistory,
  useSavedFilters,
  useTraceFilter,
} from '../../state';
import { completeFilter, type Completion, type KnownValues } from './filterCompletions';
import { highlightFilter } from './highlightFilter';
import { useFacetCounts } from './useFacetCounts';

/** Id of the filter input (the app focuses it). */
export const FILTER_INPUT_ID = 'drop-filter-input';

const NO_FILTER = {};
const VALUE_LIMIT = 300;

/** Props of the filter bar. */
export interface FilterBarProps {
  traceId: string;
  /** The trace's first event (the time range chip prints seconds from it). */
  firstNs: number | null;
}

/** Values of the trace (under no filter) for completion; fetched only while the input has focus. */
function useKnownValues(traceId: string, isEnabled: boolean): KnownValues {
  const reason = useFacetCounts(traceId, NO_FILTER, 'reason', VALUE_LIMIT, isEnabled).data;
  const location = useFacetCounts(traceId, NO_FILTER, 'location', VALUE_LIMIT, isEnabled).data;
  const protocol = useFacetCounts(traceId, NO_FILTER, 'protocol', VALUE_LIMIT, isEnabled).data;
  const comm = useFacetCounts(traceId, NO_FILTER, 'comm', VALUE_LIMIT, isEnabled).data;
  const cpu = useFacetCounts(traceId, NO_FILTER, 'cpu', VALUE_LIMIT, isEnabled).data;
  return useMemo(() => {
    const keys = (counts: typeof reason) => counts?.entries.map((entry) => entry.key) ?? [];
    return {
      reason: keys(reason),
      location: keys(location),
      protocol: keys(protocol),
      comm: keys(comm),
      cpu: keys(cpu),
      'reason.category': REASON_CATEGORIES,
    };
  }, [reason, location, protocol, comm, cpu]);
}

/** The chip of the brushed range, in seconds from the first event. */
function formatRange(range: TimeRange, firstNs: number | null): string {
  const origin = firstNs ?? 0;
  return `${formatSeconds(range.startNs - origin, 3)} s – ${formatSeconds(range.endNs - origin, 3)} s`;
}

/** The filter bar (see the file overview). */
export function FilterBar({ traceId, firstNs }: FilterBarProps) {
  const filter = useTraceFilter(traceId);
  const history = useFilterHistory();
  const { setText, applyText, removeClause, setTimeRange, setQuickSearch, clearFilter } =
    useFilterActions();
  const inputRef = useRef<HTMLInputElement>(null);
  const highlightRef = useRef<HTMLDivElement>(null);
  const [isFocused, setFocused] = useState(false);
  const [caret, setCaret] = useState(0);
  const [activeIndex, setActiveIndex] = useState(-1);
  const [isMenuClosed, setMenuClosed] = useState(false);
  const known = useKnownValues(traceId, isFocused);

  const appliedText = useMemo(() => {
    const expr = joinClauses(filter.clauses);
    return expr === null ? '' : formatFilter(expr);
  }, [filter.clauses]);
  const isDirty = filter.text !== appliedText;

  const suggestions: Completion[] = useMemo(() => {
    if (!isFocused || isMenuClosed) return [];
    if (filter.text.trim() === '') {
      return history.slice(0, 10).map((entry) => ({ label: entry, insert: entry, kind: 'value' }));
    }
    return completeFilter(filter.text, caret, known).items;
  }, [isFocused, isMenuClosed, filter.text, caret, known, history]);

  const accept = (completion: Completion) => {
    const input = inputRef.current;
    if (filter.text.trim() === '') {
      setText(traceId, completion.insert);
      setCaret(completion.insert.length);
    } else {
      const { from, to } = completeFilter(filter.text, caret, known);
      const next = filter.text.slice(0, from) + completion.insert + filter.text.slice(to);
      setText(traceId, next);
      const position = from + completion.insert.length;
      setCaret(position);
      requestAnimationFrame(() => input?.setSelectionRange(position, position));
    }
    setActiveIndex(-1);
  };

  const apply = () => {
    setMenuClosed(true);
    applyText(traceId);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const isMenuOpen = suggestions.length > 0;
    if (event.key === 'ArrowDown' && isMenuOpen) {
      event.preventDefault();
      setActiveIndex((activeIndex + 1) % suggestions.length);
    } else if (event.key === 'ArrowUp' && isMenuOpen) {
      event.preventDefault();
      setActiveIndex(activeIndex <= 0 ? suggestions.length - 1 : activeIndex - 1);
    } else if ((event.key === 'Enter' || event.key === 'Tab') && isMenuOpen && activeIndex >= 0) {
      event.preventDefault();
      const chosen = suggestions[activeIndex];
      if (chosen) accept(chosen);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      apply();
    } else if (event.key === 'Escape') {
      if (isMenuOpen) {
        event.preventDefault();
        setMenuClosed(true);
      } else if (isDirty) {
        // Back to what is applied; a second Escape reaches the app (clears the filter).
        event.preventDefault();
        setText(traceId, appliedText);
      }
    } else {
      setMenuClosed(false);
    }
  };

  const error = filter.error;
  const spans = useMemo(() => highlightFilter(filter.text), [filter.text]);
  const syncScroll = () => {
    if (highlightRef.current && inputRef.current) {
      highlightRef.current.scrollLeft = inputRef.current.scrollLeft;
    }
  };

  return (
    <div className="filter-bar" data-testid="filter-bar">
      <div className="filter-input-row">
        <div
          className={`filter-input-box${error ? ' has-error' : ''}${isDirty ? ' is-dirty' : ''}`}
        >
          <div className="filter-highlight" ref={highlightRef} aria-hidden="true">
            {spans.map((span, index) => (
              <span key={index} className={`hl-${span.kind}`}>
                {span.text}
              </span>
            ))}
          </div>
          <input
            ref={inputRef}
            id={FILTER_INPUT_ID}
            className="filter-input"
            data-testid="filter-input"
            aria-label="Filter expression"
            aria-invalid={error !== null}
            aria-autocomplete="list"
            aria-expanded={suggestions.length > 0}
            spellCheck={false}
            autoComplete="off"
            placeholder='Filter, e.g. reason == NO_SOCKET and location contains "udp"'
            value={filter.text}
            onChange={(event) => {
              setText(traceId, event.target.value);
              setCaret(event.target.selectionStart ?? event.target.value.length);
              setActiveIndex(-1);
              setMenuClosed(false);
            }}
            onSelect={(event) => {
              setCaret(event.currentTarget.selectionStart ?? 0);
              syncScroll();
            }}
            onScroll={syncScroll}
            onFocus={() => setFocused(true)}
            onBlur={() => {
              setFocused(false);
              setActiveIndex(-1);
            }}
            onKeyDown={onKeyDown}
          />
          {suggestions.length > 0 && (
            <ul className="filter-suggestions" role="listbox" data-testid="filter-suggestions">
              {suggestions.map((item, index) => (
                <li
                  key={`${item.kind}:${item.label}`}
                  role="option"
                  aria-selected={index === activeIndex}
                  className={index === activeIndex ? 'is-active' : undefined}
                  data-testid="filter-suggestion"
                  onMouseDown={(event) => {
                    // Keep the focus in the input.
                    event.preventDefault();
                    accept(item);
                  }}
                >
                  <span className={`suggestion-kind kind-${item.kind}`}>{item.kind}</span>
                  {item.label}
                </li>
              ))}
            </ul>
          )}
        </div>
        <button
          type="button"
          className="button-small button-primary"
          data-testid="filter-apply"
          disabled={!isDirty}
          onClick={apply}
        >
          Apply
        </button>
        <SavedFilters traceId={traceId} text={filter.text} />
      </div>
      {error && (
        <pre className="filter-error" role="alert" data-testid="filter-error">
          {error.display}
        </pre>
      )}
      <FilterChips
        clauses={filter.clauses}
        timeRange={filter.timeRange}
        quickSearch={filter.quickSearch}
        firstNs={firstNs}
        onRemove={(index) => removeClause(traceId, index)}
        onRemoveQuickSearch={() => setQuickSearch(traceId, '')}
        onRemoveTime={() => setTimeRange(traceId, null)}
        onClear={() => clearFilter(traceId)}
        hasAnything={filter.spec.expr !== null || filter.timeRange !== null}
      />
    </div>
  );
}

/** Props of the chips row. */
interface FilterChipsProps {
  clauses: readonly FilterExpr[];
  timeRange: TimeRange | null;
  quickSearch: string;
  firstNs: number | null;
  onRemove: (index: number) => void;
  onRemoveQuickSearch: () => void;
  onRemoveTime: () => void;
  onClear: () => void;
  hasAnything: boolean;
}

/** The active filter as removable chips. */
function FilterChips(props: FilterChipsProps) {
  const { clauses, timeRange, quickSearch, firstNs, onRemove, onRemoveQuickSearch } = props;
  const { onRemoveTime, onClear, hasAnything } = props;
  if (!hasAnything && clauses.length === 0) {
    return <div className="filter-chips is-empty">No filter: every drop is shown.</div>;
  }
  return (
    <div className="filter-chips" data-testid="filter-chips">
      {clauses.map((clause, index) => {
        const label = labelClause(clause);
        const text = formatFilter(clause);
        return (
          <span
            key={`${index}:${text}`}
            className={`chip${label.isExclude ? ' chip-exclude' : ''}`}
            data-testid="filter-chip"
            title={text}
          >
            {label.field !== null && <span className="chip-field">{label.field}</span>}
            {label.verb !== null && <span className="chip-verb">{label.verb}</span>}
            <span className="chip-text">{label.text}</span>
            <button
              type="button"
              className="chip-remove"
              aria-label={`Remove ${text}`}
              data-testid="filter-chip-remove"
              onClick={() => onRemove(index)}
            >
              ×
            </button>
          </span>
        );
      })}
      {quickSearch.trim() !== '' && (
        <span
          className="chip chip-time"
          data-testid="quick-search-chip"
          title="Quick search: location, command or reason contains this (any case)"
        >
          <span className="chip-field">search</span>
          <span className="chip-text">{quickSearch.trim()}</span>
          <button
            type="button"
            className="chip-remove"
            aria-label="Clear the quick search"
            data-testid="quick-search-chip-remove"
            onClick={onRemoveQuickSearch}
          >
            ×
          </button>
        </span>
      )}
      {timeRange && (
        <span className="chip chip-time" data-testid="time-range-chip">
          <span className="chip-field">time</span>
          <span className="chip-text">{formatRange(timeRange, firstNs)}</span>
          <button
            type="button"
            className="chip-remove"
            aria-label="Remove the time range"
            data-testid="time-range-chip-remove"
            onClick={onRemoveTime}
          >
            ×
          </button>
        </span>
      )}
      <button
        type="button"
        className="link-button"
        data-testid="filter-clear"
        title="Clear the whole filter (Escape)"
        onClick={onClear}
      >
        Clear all
      </button>
    </div>
  );
}

/** Props of the saved filters controls. */
interface SavedFiltersProps {
  traceId: string;
  /** The bar's expression (what Save… saves). */
  text: string;
}

/** Save… (name the bar's expression) and Saved (the named filters: apply or delete). */
function SavedFilters({ traceId, text }: SavedFiltersProps) {
  const saved = useSavedFilters();
  const { saveFilter, deleteSavedFilter, applyFilterText } = useFilterActions();
  const [open, setOpen] = useState<'save' | 'list' | null>(null);
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const save = () => {
    if (name.trim() === '') {
      setProblem('Give the filter a name.');
      return;
    }
    if (!saveFilter(name, text)) {
      setProblem('Only a valid expression can be saved.');
      return;
    }
    setOpen(null);
    setName('');
    setProblem(null);
  };

  return (
    <div className="saved-filters">
      <button
        type="button"
        className="button-small"
        data-testid="filter-save"
        disabled={text.trim() === ''}
        title="Save this expression under a name"
        aria-expanded={open === 'save'}
        onClick={() => {
          setProblem(null);
          setOpen(open === 'save' ? null : 'save');
        }}
      >
        Save…
      </button>
      <button
        type="button"
        className="button-small"
        data-testid="saved-filters-button"
        title="Filters saved under a name"
        aria-expanded={open === 'list'}
        onClick={() => setOpen(open === 'list' ? null : 'list')}
      >
        Saved ({saved.length})
      </button>
      {open === 'save' && (
        <form
          className="popover saved-filter-form"
          data-testid="filter-save-form"
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <label>
            Name{' '}
            <input
              autoFocus
              data-testid="filter-save-name"
              value={name}
              maxLength={100}
              onChange={(event) => setName(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Escape') {
                  event.preventDefault();
                  event.stopPropagation();
                  setOpen(null);
                }
              }}
            />
          </label>
          <code className="saved-filter-text">{text}</code>
          {problem && (
            <span className="filter-error" role="alert" data-testid="filter-save-error">
              {problem}
            </span>
          )}
          <button
            type="submit"
            className="button-small button-primary"
            data-testid="filter-save-confirm"
          >
            Save
          </button>
        </form>
      )}
      {open === 'list' && (
        <ul className="popover saved-filter-list" data-testid="saved-filters" role="menu">
          {saved.length === 0 && <li className="muted">No saved filters yet: use Save….</li>}
          {saved.map((entry) => (
            <li key={entry.name} data-testid="saved-filter" role="none">
              <button
                type="button"
                role="menuitem"
                className="link-button"
                data-testid="saved-filter-apply"
                title={entry.text}
                onClick={() => {
                  applyFilterText(traceId, entry.text);
                  setOpen(null);
                }}
              >
                <strong>{entry.name}</strong> <code className="muted">{entry.text}</code>
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Delete the saved filter ${entry.name}`}
                data-testid="saved-filter-delete"
                onClick={() => deleteSavedFilter(entry.name)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
