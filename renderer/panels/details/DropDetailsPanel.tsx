/**
 * DropDetailsPanel: everything about the selected drop — its fields, the raw trace line, what the
 * reason means and what to check next, its category, the callchain, and every other event of the
 * same skbaddr in time order ("follow one packet": clicking one selects it).
 */
import type { ReactNode } from 'react';
import type { DropRow } from '../../../shared/model';
import { formatProtocol } from '../../../shared/model';
import { categoryInfo, describeReason } from '../../../shared/reasons';
import { formatSeconds } from '../../../shared/time';
import { ReasonChip, formatCount, formatDurationNs } from '../../components';
import { useApi, useQuery } from '../../services';
import { useSelectedDrop, useSelectionActions, useTraceRevision } from '../../state';

/** Props of the details panel. */
export interface DropDetailsPanelProps {
  traceId: string;
  /** First event time of the trace (relative times). */
  firstNs: number | null;
  /** Trace file name (shown with line numbers). */
  fileName: string;
  onClose?: () => void;
}

const PACKET_ROWS_SHOWN = 500;

/** The details panel (see the file overview). */
export function DropDetailsPanel({ traceId, firstNs, fileName, onClose }: DropDetailsPanelProps) {
  const row = useSelectedDrop(traceId);
  return (
    <aside className="panel details-panel" data-testid="details" aria-label="Drop details">
      <header className="panel-header">
        <h2>Drop details</h2>
        {onClose && (
          <button
            type="button"
            className="icon-button"
            aria-label="Hide the details"
            title="Hide the details"
            onClick={onClose}
          >
            ×
          </button>
        )}
      </header>
      {row === null ? (
        <p className="details-empty" data-testid="details-empty">
          Select a drop in the table to see what its reason means, the raw trace line and the
          packet&apos;s other events.
        </p>
      ) : (
        <DropDetails traceId={traceId} row={row} firstNs={firstNs} fileName={fileName} />
      )}
    </aside>
  );
}

/** Props of the details of one drop. */
interface DropDetailsProps {
  traceId: string;
  row: DropRow;
  firstNs: number | null;
  fileName: string;
}

function relative(ns: number | null, firstNs: number | null): string {
  if (ns === null) return '—';
  return firstNs === null ? formatSeconds(ns) : `+${formatSeconds(ns - firstNs)} s`;
}

function DropDetails({ traceId, row, firstNs, fileName }: DropDetailsProps) {
  const api = useApi();
  const revision = useTraceRevision(traceId);
  const { selectDrop } = useSelectionActions();
  const rawLine = useQuery(
    row.line > 0 ? JSON.stringify([traceId, revision, row.line]) : null,
    () => api.rawLine(traceId, row.line),
  );
  const skbaddr = row.skbaddr;
  const packet = useQuery(skbaddr ? JSON.stringify([traceId, revision, skbaddr]) : null, () =>
    api.packet(traceId, skbaddr ?? ''),
  );

  const reason = row.reason ? describeReason(row.reason) : null;
  const category = reason ? categoryInfo(reason.category) : null;
  const fields: [string, ReactNode][] = [
    ['Time', row.timestampNs === null ? '—' : `${formatSeconds(row.timestampNs)} s`],
    ['Since first', relative(row.timestampNs, firstNs)],
    ['CPU', row.cpu ?? '—'],
    ['PID', row.pid ?? '—'],
    ['Command', row.comm ?? '—'],
    ['skbaddr', row.skbaddr ?? '—'],
    ['rx_sk', row.rxSk ?? '—'],
    [
      'Protocol',
      row.protocol === null
        ? '—'
        : `${row.protocolName ?? formatProtocol(row.protocol)} (0x${row.protocol.toString(16).padStart(4, '0')})`,
    ],
    ['Location', row.location ?? '—'],
    ['Reason', <ReasonChip key="reason" reason={row.reason} />],
    ['Raw value', row.reasonValue === null || row.reasonValue < 0 ? '—' : row.reasonValue],
    [
      'Reason from',
      row.reasonSource === 'printed'
        ? 'the trace (printed by the tracer)'
        : row.reasonSource === 'decoded'
          ? 'the kernel table (decoded from the number)'
          : '—',
    ],
    ['Line', row.line > 0 ? `${fileName}:${row.line}` : '—'],
    ...Object.entries(row.extra ?? {}).map(
      ([key, value]) => [key, String(value)] as [string, ReactNode],
    ),
  ];

  return (
    <div className="details-body">
      {reason && category && (
        <section className="details-reason" data-testid="details-reason">
          <div className="details-reason-head">
            <ReasonChip reason={row.reason} />
            <span
              className="category-badge"
              style={{ borderColor: category.colour, color: category.colour }}
              data-testid="details-category"
              title={category.description}
            >
              {category.label}
            </span>
          </div>
          <p className="details-summary">{reason.summary}</p>
          <h3>What to check next</h3>
          <p className="details-next" data-testid="details-next-steps">
            {reason.nextSteps}
          </p>
          {!reason.known && (
            <p className="details-note">
              Dropscope does not know this reason; if it is a number, try another kernel table in
              the summary bar.
            </p>
          )}
        </section>
      )}

      <section>
        <h3>Fields</h3>
        <dl className="details-fields" data-testid="details-fields">
          {fields.map(([name, value]) => (
            <div key={name} className="details-field">
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section>
        <h3>Raw trace line</h3>
        <pre className="details-raw" data-testid="details-raw-line">
          {row.line <= 0
            ? 'This format has no text line for the event.'
            : rawLine.isLoading
              ? 'Reading…'
              : rawLine.error !== null
                ? `Cannot read the line: ${rawLine.error}`
                : (rawLine.data ?? 'This format has no text line for the event.')}
        </pre>
      </section>

      {row.callchain && row.callchain.length > 0 && (
        <section>
          <h3>Callchain</h3>
          <ol className="details-callchain" data-testid="details-callchain">
            {row.callchain.map((frame, index) => (
              <li key={index}>{frame}</li>
            ))}
          </ol>
        </section>
      )}

      {skbaddr && (
        <section data-testid="details-packet">
          <h3>
            Same skbaddr{' '}
            {packet.data && (
              <span className="muted">({formatCount(packet.data.length)} events)</span>
            )}
          </h3>
          {packet.error !== null && <p className="facet-error">{packet.error}</p>}
          {packet.data && packet.data.length > 0 && (
            <>
              <p className="details-note">
                The kernel reuses skb addresses: events far apart in time can be different packets.
              </p>
              <ol className="packet-list">
                {packet.data.slice(0, PACKET_ROWS_SHOWN).map((event) => {
                  const isCurrent = event.id === row.id;
                  const gap =
                    event.timestampNs !== null && row.timestampNs !== null
                      ? event.timestampNs - row.timestampNs
                      : null;
                  return (
                    <li key={event.id}>
                      <button
                        type="button"
                        className={isCurrent ? 'packet-event is-current' : 'packet-event'}
                        data-testid="details-packet-item"
                        data-drop-id={event.id}
                        aria-current={isCurrent}
                        onClick={() => selectDrop(traceId, event)}
                      >
                        <span className="packet-time">
                          {isCurrent
                            ? 'this drop'
                            : gap === null
                              ? '—'
                              : `${gap < 0 ? '−' : '+'}${formatDurationNs(Math.abs(gap))}`}
                        </span>
                        <ReasonChip reason={event.reason} />
                        <span className="packet-location">{event.location ?? ''}</span>
                      </button>
                    </li>
                  );
                })}
              </ol>
              {packet.data.length > PACKET_ROWS_SHOWN && (
                <p className="details-note">
                  Showing the first {PACKET_ROWS_SHOWN} of {formatCount(packet.data.length)}.
                </p>
              )}
            </>
          )}
        </section>
      )}
    </div>
  );
}
