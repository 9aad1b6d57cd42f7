/**
 * The grid's columns, one per `EVENT_FIELDS` entry, with the one formatter each value has: the
 * grid cells, the copied TSV and the column filters all use these.
 */
import type { DropRow, EventField } from '../../../shared/model';
import { formatProtocol } from '../../../shared/model';
import { formatSeconds } from '../../../shared/time';
import type { TimeMode } from '../../state';

/** One grid column. Its id is the event field it shows (sorting and filtering use it). */
export interface DropColumn {
  readonly id: EventField;
  readonly header: string;
  readonly widthPx: number;
  /** Takes the remaining width. */
  readonly isFlexible: boolean;
  /** Whether the column can be filtered from its header (time is filtered by the timeline). */
  readonly isFilterable: boolean;
  readonly isNumeric: boolean;
}

/** The columns in display order: what explains a drop first, identifiers after. */
export const DROP_COLUMNS: readonly DropColumn[] = [
  column('time', 'Time (s)', 112, { isFilterable: false, isNumeric: true }),
  column('reason', 'Reason', 210),
  column('location', 'Location', 200, { isFlexible: true }),
  column('protocol', 'Protocol', 84),
  column('comm', 'Command', 120),
  column('pid', 'PID', 72, { isNumeric: true }),
  column('cpu', 'CPU', 60, { isNumeric: true }),
  column('skbaddr', 'skbaddr', 150),
  column('rx_sk', 'rx_sk', 150),
  column('reason.value', 'Raw value', 84, { isNumeric: true }),
];

function column(
  id: EventField,
  header: string,
  widthPx: number,
  options: Partial<Pick<DropColumn, 'isFlexible' | 'isFilterable' | 'isNumeric'>> = {},
): DropColumn {
  return {
    id,
    header,
    widthPx,
    isFlexible: options.isFlexible ?? false,
    isFilterable: options.isFilterable ?? true,
    isNumeric: options.isNumeric ?? false,
  };
}

/** How times print: tracer clock, or relative to the trace's first event. */
export interface TimeFormat {
  mode: TimeMode;
  firstNs: number | null;
}

/** The header of a column (the time column says which clock). */
export function columnHeader(column: DropColumn, time: TimeFormat): string {
  if (column.id !== 'time') return column.header;
  return time.mode === 'relative' && time.firstNs !== null ? 'Time (+s)' : 'Time (s)';
}

/** The text of one cell. Unknown values are empty. */
export function formatCell(row: DropRow, field: EventField, time: TimeFormat): string {
  switch (field) {
    case 'time': {
      if (row.timestampNs === null) return '';
      if (time.mode === 'relative' && time.firstNs !== null) {
        return formatSeconds(row.timestampNs - time.firstNs, 6);
      }
      return formatSeconds(row.timestampNs, 6);
    }
    case 'cpu':
      return row.cpu === null ? '' : String(row.cpu);
    case 'pid':
      return row.pid === null ? '' : String(row.pid);
    case 'comm':
      return row.comm ?? '';
    case 'skbaddr':
      return row.skbaddr ?? '';
    case 'rx_sk':
      return row.rxSk ?? '';
    case 'protocol':
      return row.protocolName ?? (row.protocol === null ? '' : formatProtocol(row.protocol));
    case 'location':
      return row.location ?? '';
    case 'reason':
      return row.reason ?? '';
    case 'reason.value':
      return row.reasonValue === null || row.reasonValue < 0 ? '' : String(row.reasonValue);
  }
}

/** Rows as tab-separated text with a header line, for the clipboard. */
export function rowsAsTsv(
  rows: readonly DropRow[],
  columns: readonly DropColumn[],
  time: TimeFormat,
): string {
  const clean = (text: string) => text.replace(/[\t\r\n]+/g, ' ');
  const lines = [columns.map((column) => columnHeader(column, time)).join('\t')];
  for (const row of rows) {
    lines.push(columns.map((column) => clean(formatCell(row, column.id, time))).join('\t'));
  }
  return `${lines.join('\n')}\n`;
}
