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

/** One event keyed by the normalized column names (values ready for JSON). */
export interface NormalizedRecord {
  time_ns: number | null;
  cpu: number | null;
  pid: number | null;
  comm: string | null;
  skbaddr: string | null;
  rx_sk: string | null;
  protocol: number | null;
  protocol_name: string | null;
  location: string | null;
  reason: string | null;
  reason_value: number | null;
  reason_source: DropRow['reasonSource'];
  line: number;
  callchain: readonly string[] | null;
  extra: Readonly<Record<string, string | number>> | null;
}

/** The normalized record of a row. */
export function normalizedRecord(row: DropRow): NormalizedRecord {
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
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else text = JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
