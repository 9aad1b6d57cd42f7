/**
 * Turns stored events into rows of Dropscope's normalized format, shared by the CSV and JSON
 * lines exporters.
 */
import type { DropRow, NormalizedHeader, NormalizedSource } from '../../shared/model';
import { CALLCHAIN_SEPARATOR, NORMALIZED_VERSION } from '../../shared/model';

/** The normalized header of an export. */
export function normalizedHeader(source: NormalizedSource): NormalizedHeader {
  return { dropscope: NORMALIZED_VERSION, source };
}

/** A row keyed by the normalized column names (values ready for JSON). */
export function normalizedRecord(row: DropRow): Record<string, string | number | null | readonly string[] | object> {
  return {
    time_ns: row.timestampNs,
    cpu: row.cpu,
    pid: row.pid,
    comm: row.comm,
    skbaddr: row.skbaddr,
    rx_sk: row.rxSk,
    protocol: row.protocol,
    protocol_name: row.protocolName,
    location: row.location,
    reason: row.reason,
    reason_value: row.reasonValue,
    reason_source: row.reasonSource,
    line: row.line,
    callchain: row.callchain,
    extra: row.extra,
  };
}

/** Quotes a CSV cell when it holds a comma, quote or line break (RFC 4180). */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (Array.isArray(value)) text = value.join(CALLCHAIN_SEPARATOR);
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
