/**
 * DropGridPanel: the drops of the active trace in an ag-grid Infinite Row Model grid.
 *
 * Rows come 200 at a time from `trace:page` under the trace's filter and the grid's sort; a
 * filter change (or a re-decode) purges the cache. Column filters are clauses of the trace's
 * filter (`location contains "udp"`, `cpu == 3`) kept in sync both ways with the grid's filter
 * model. Clicking a row (or moving the focus with the keyboard) selects the drop; Ctrl/Cmd+C
 * copies the selected rows as TSV.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import {
  CellStyleModule,
  InfiniteRowModelModule,
  ModuleRegistry,
  NumberFilterModule,
  RowApiModule,
  RowSelectionModule,
  ScrollApiModule,
  TextFilterModule,
  TooltipModule,
  type CellFocusedEvent,
  type ColDef,
  type FilterModel,
  type GetRowIdParams,
  type GridApi,
  type GridReadyEvent,
  type ICellRendererParams,
  type RowClickedEvent,
} from 'ag-grid-community';
import type { DropRow } from '../../../shared/model';
import { ReasonChip, formatCount } from '../../components';
import { errorMessage, useApi } from '../../services';
import {
  columnFilterKind,
  columnFilterOf,
  useFilterActions,
  useHiddenColumns,
  useResolvedTheme,
  useSelectedDrop,
  useSelectionActions,
  useSessionActions,
  useTimeMode,
  useTraceFilter,
  useTraceDataVersion,
  useTraceRevision,
  useViewActions,
} from '../../state';
import { ColumnChooser } from './ColumnChooser';
import { CACHE_BLOCK_SIZE, createDropDatasource } from './dropDatasource';
import { DROP_COLUMNS, columnHeader, formatCell, rowsAsTsv, type TimeFormat } from './dropColumns';
import { gridTheme } from './gridTheme';

// Only what the grid uses (ag-grid's modules keep the bundle small).
ModuleRegistry.registerModules([
  CellStyleModule,
  InfiniteRowModelModule,
  RowSelectionModule,
  TextFilterModule,
  NumberFilterModule,
  RowApiModule,
  ScrollApiModule,
  TooltipModule,
]);

/** Id of the quick search box (the app focuses it on Ctrl/Cmd+F). */
export const QUICK_SEARCH_INPUT_ID = 'drop-quick-search';

/** Props of the grid panel. */
export interface DropGridPanelProps {
  traceId: string;
  /** The trace's first event time (relative time column). */
  firstNs: number | null;
}

/** The grid filter model a trace's clauses imply (one `contains` / `equals` per column). */
function filterModelOf(clauses: Parameters<typeof columnFilterOf>[0]): FilterModel {
  const model: FilterModel = {};
  for (const column of DROP_COLUMNS) {
    if (!column.isFilterable) continue;
    const text = columnFilterOf(clauses, column.id);
    if (text === null) continue;
    model[column.id] =
      columnFilterKind(column.id) === 'contains'
        ? { filterType: 'text', type: 'contains', filter: text }
        : { filterType: 'number', type: 'equals', filter: Number(text) };
  }
  return model;
}

function ReasonCell(params: ICellRendererParams<DropRow>) {
  if (!params.data) return null;
  return <ReasonChip reason={params.data.reason} />;
}

/** The grid panel (see the file overview). */
export function DropGridPanel({ traceId, firstNs }: DropGridPanelProps) {
  const api = useApi();
  const filter = useTraceFilter(traceId);
  const spec = filter.spec;
  const revision = useTraceRevision(traceId);
  const dataVersion = useTraceDataVersion(traceId);
  const timeMode = useTimeMode();
  const hiddenColumns = useHiddenColumns();
  const scheme = useResolvedTheme();
  const selected = useSelectedDrop(traceId);
  const { selectDrop } = useSelectionActions();
  const { setColumnFilter, setQuickSearch } = useFilterActions();
  const { setTimeMode, setColumnHidden } = useViewActions();
  const { reportError } = useSessionActions();
  const [gridApi, setGridApi] = useState<GridApi<DropRow> | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [copied, setCopied] = useState<string | null>(null);

  // The datasource reads the latest filter through a ref: it is created once per grid.
  const specRef = useRef(spec);
  specRef.current = spec;
  const traceRef = useRef(traceId);
  traceRef.current = traceId;

  const time: TimeFormat = useMemo(() => ({ mode: timeMode, firstNs }), [timeMode, firstNs]);

  const datasource = useMemo(
    () =>
      createDropDatasource(
        (start, end, sort) => api.page(traceRef.current, specRef.current, sort, start, end),
        {
          onTotal: setTotal,
          onError: (error) => reportError(`Cannot read rows: ${errorMessage(error)}`),
        },
      ),
    [api, reportError],
  );

  // A new filter, trace or decoding: drop every cached block and ask again.
  const purgeKey = `${traceId}|${revision}`;
  const lastPurge = useRef({ spec, purgeKey });
  useEffect(() => {
    if (!gridApi) return;
    if (lastPurge.current.spec === spec && lastPurge.current.purgeKey === purgeKey) return;
    lastPurge.current = { spec, purgeKey };
    gridApi.purgeInfiniteCache();
  }, [gridApi, spec, purgeKey]);

  // A live capture added drops: ask for the loaded blocks again, keeping the scroll position
  // (refresh, not purge), so the row count grows under the user's eyes without a jump.
  const lastVersion = useRef(dataVersion);
  useEffect(() => {
    if (!gridApi || lastVersion.current === dataVersion) return;
    lastVersion.current = dataVersion;
    gridApi.refreshInfiniteCache();
  }, [gridApi, dataVersion]);

  // Clauses → grid filter model (chips removed elsewhere clear the column's filter too).
  const clauses = filter.clauses;
  useEffect(() => {
    if (!gridApi) return;
    const desired = filterModelOf(clauses);
    if (JSON.stringify(desired) !== JSON.stringify(gridApi.getFilterModel())) {
      gridApi.setFilterModel(desired);
    }
  }, [gridApi, clauses]);

  // Selection from elsewhere (the details panel's packet list): select the row if it is loaded.
  const selectedId = selected?.id ?? null;
  useEffect(() => {
    if (!gridApi || selectedId === null) return;
    const node = gridApi.getRowNode(String(selectedId));
    if (node && !node.isSelected()) {
      node.setSelected(true, true);
      gridApi.ensureNodeVisible(node);
    }
  }, [gridApi, selectedId]);

  const columnDefs = useMemo<ColDef<DropRow>[]>(
    () =>
      DROP_COLUMNS.map((column) => ({
        colId: column.id,
        headerName: columnHeader(column, time),
        hide: hiddenColumns.includes(column.id),
        valueGetter: (params) => (params.data ? formatCell(params.data, column.id, time) : ''),
        ...(column.isFlexible ? { flex: 1, minWidth: column.widthPx } : { width: column.widthPx }),
        sortable: true,
        ...(column.id === 'reason' ? { cellRenderer: ReasonCell } : {}),
        ...(column.id === 'location' ? { tooltipValueGetter: (p) => p.value as string } : {}),
        ...(column.isNumeric ? { type: 'rightAligned' } : {}),
        filter: !column.isFilterable
          ? false
          : columnFilterKind(column.id) === 'contains'
            ? 'agTextColumnFilter'
            : 'agNumberColumnFilter',
        filterParams: {
          filterOptions: [columnFilterKind(column.id)],
          maxNumConditions: 1,
          debounceMs: 300,
        },
      })),
    [time, hiddenColumns],
  );

  const onGridReady = useCallback((event: GridReadyEvent<DropRow>) => setGridApi(event.api), []);

  const onFilterChanged = useCallback(() => {
    if (!gridApi) return;
    const model = gridApi.getFilterModel();
    for (const column of DROP_COLUMNS) {
      if (!column.isFilterable) continue;
      const entry = model[column.id] as { filter?: string | number | null } | undefined;
      const value = entry?.filter;
      setColumnFilter(traceRef.current, column.id, value == null ? null : String(value));
    }
  }, [gridApi, setColumnFilter]);

  const onRowClicked = useCallback(
    (event: RowClickedEvent<DropRow>) => {
      if (event.data) selectDrop(traceRef.current, event.data);
    },
    [selectDrop],
  );

  const onCellFocused = useCallback(
    (event: CellFocusedEvent<DropRow>) => {
      if (event.rowIndex === null || event.rowPinned) return;
      const node = event.api.getDisplayedRowAtIndex(event.rowIndex);
      if (node?.data) selectDrop(traceRef.current, node.data);
    },
    [selectDrop],
  );

  const visibleColumns = DROP_COLUMNS.filter((column) => !hiddenColumns.includes(column.id));

  const copyRows = useCallback(async () => {
    if (!gridApi) return;
    let rows = gridApi.getSelectedRows();
    if (rows.length === 0) {
      const focused = gridApi.getFocusedCell();
      const data =
        focused === null ? undefined : gridApi.getDisplayedRowAtIndex(focused.rowIndex)?.data;
      rows = data ? [data] : [];
    }
    if (rows.length === 0) return;
    rows.sort((a, b) => a.id - b.id);
    try {
      await navigator.clipboard.writeText(rowsAsTsv(rows, visibleColumns, time));
      setCopied(`${formatCount(rows.length)} row${rows.length === 1 ? '' : 's'} copied`);
    } catch (error) {
      reportError(`Cannot copy: ${errorMessage(error)}`);
    }
  }, [gridApi, visibleColumns, time, reportError]);

  useEffect(() => {
    if (copied === null) return undefined;
    const timer = setTimeout(() => setCopied(null), 2000);
    return () => clearTimeout(timer);
  }, [copied]);

  return (
    <section className="panel grid-panel" aria-label="Drops">
      <div className="panel-toolbar">
        <QuickSearch traceId={traceId} quickSearch={filter.quickSearch} onChange={setQuickSearch} />
        <span className="toolbar-count" data-testid="grid-row-count">
          {total === null ? '…' : `${formatCount(total)} drops`}
        </span>
        <span className="toolbar-spacer" />
        {copied !== null && <span className="toolbar-note">{copied}</span>}
        <button
          type="button"
          className="button-small"
          data-testid="grid-time-mode"
          title="Switch between the tracer's clock and seconds since the first event"
          disabled={firstNs === null}
          onClick={() => setTimeMode(timeMode === 'relative' ? 'absolute' : 'relative')}
        >
          {timeMode === 'relative' && firstNs !== null ? 'Time: relative' : 'Time: absolute'}
        </button>
        <button
          type="button"
          className="button-small"
          data-testid="grid-copy"
          title="Copy the selected rows as tab-separated text (Ctrl/Cmd+C)"
          onClick={() => void copyRows()}
        >
          Copy
        </button>
        <ColumnChooser
          columns={DROP_COLUMNS}
          hiddenColumns={hiddenColumns}
          onToggle={(id, isHidden) => setColumnHidden(id, isHidden)}
        />
      </div>
      <div
        className="grid-host"
        data-testid="grid"
        onKeyDown={(event) => {
          if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'c') {
            const target = event.target as HTMLElement;
            if (target.closest('input, textarea')) return;
            event.preventDefault();
            void copyRows();
          }
        }}
      >
        <AgGridReact<DropRow>
          theme={gridTheme(scheme)}
          rowModelType="infinite"
          datasource={datasource}
          cacheBlockSize={CACHE_BLOCK_SIZE}
          maxBlocksInCache={50}
          maxConcurrentDatasourceRequests={2}
          infiniteInitialRowCount={CACHE_BLOCK_SIZE}
          blockLoadDebounceMillis={30}
          columnDefs={columnDefs}
          defaultColDef={{ resizable: true, suppressHeaderMenuButton: true, floatingFilter: true }}
          getRowId={(params: GetRowIdParams<DropRow>) => String(params.data.id)}
          rowSelection={{
            mode: 'multiRow',
            checkboxes: false,
            headerCheckbox: false,
            enableClickSelection: true,
          }}
          onGridReady={onGridReady}
          onFilterChanged={onFilterChanged}
          onRowClicked={onRowClicked}
          onCellFocused={onCellFocused}
          tooltipShowDelay={600}
        />
      </div>
    </section>
  );
}

/** Props of the quick search box. */
interface QuickSearchProps {
  traceId: string;
  quickSearch: string;
  onChange: (traceId: string, text: string) => void;
}

/** The quick search box: applies 250 ms after the last key, Escape clears it. */
function QuickSearch({ traceId, quickSearch, onChange }: QuickSearchProps) {
  const [text, setText] = useState(quickSearch);
  const [appliedText, setAppliedText] = useState(quickSearch);
  // The store changed underneath (Escape cleared the filter): show what is applied.
  if (quickSearch !== appliedText) {
    setAppliedText(quickSearch);
    setText(quickSearch);
  }
  useEffect(() => {
    if (text === appliedText) return undefined;
    const timer = setTimeout(() => {
      setAppliedText(text);
      onChange(traceId, text);
    }, 250);
    return () => clearTimeout(timer);
  }, [text, appliedText, traceId, onChange]);

  return (
    <input
      id={QUICK_SEARCH_INPUT_ID}
      className="quick-search"
      type="search"
      placeholder="Search location, command, reason (Ctrl+F)"
      aria-label="Quick search"
      data-testid="quick-search"
      value={text}
      onChange={(event) => setText(event.target.value)}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && text !== '') {
          event.preventDefault();
          setText('');
          setAppliedText('');
          onChange(traceId, '');
        }
      }}
    />
  );
}
