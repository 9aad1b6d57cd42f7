/**
 * Capture info (like capinfos): what the trace covers under the current filter — format, kernel
 * and decoding source, host and capture command, first and last event, duration, mean and peak
 * drops per second, per-CPU counts and spans, events the tracer lost, gaps, skipped lines.
 * Asks `trace:stats` each time the filter changes.
 */
import type { TraceInfo } from '../../../shared/contract';
import type { TraceStats } from '../../../shared/model';
import { Dialog, formatCount } from '../../components';
import { useApi, useQuery } from '../../services';
import { useFilterSpec, useTraceDataVersion, useTraceRevision } from '../../state';

/** Props of the dialog. */
export interface CaptureInfoDialogProps {
  trace: TraceInfo;
  onClose: () => void;
}

/** Seconds with up to 6 decimals (tracer clocks are microseconds or better), or a dash. */
function seconds(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(6)} s`;
}

/** A per-second rate, or a dash. */
function rate(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(value >= 100 ? 0 : 2)}/s`;
}

/** The capture info dialog (see the file overview). */
export function CaptureInfoDialog({ trace, onClose }: CaptureInfoDialogProps) {
  const api = useApi();
  const spec = useFilterSpec(trace.traceId);
  const revision = useTraceRevision(trace.traceId);
  const dataVersion = useTraceDataVersion(trace.traceId);
  const isFiltered = spec.expr != null || spec.timeRange != null;
  const stats = useQuery(JSON.stringify([trace.traceId, revision, dataVersion, spec]), () =>
    api.stats(trace.traceId, spec),
  );
  return (
    <Dialog title="Capture info" testId="capture-info-dialog" isWide onClose={onClose}>
      {isFiltered && (
        <p className="muted" data-testid="capture-info-filtered">
          Under the current filter.
        </p>
      )}
      {stats.error !== null && (
        <p className="filter-error" role="alert">
          {stats.error}
        </p>
      )}
      {stats.data === undefined ? (
        stats.error === null && <p>Computing…</p>
      ) : (
        <CaptureInfoTables stats={stats.data} />
      )}
    </Dialog>
  );
}

function CaptureInfoTables({ stats }: { stats: TraceStats }) {
  const cpus = Object.keys(stats.cpu_spans);
  const kernel = stats.kernel;
  const rows: [string, string, string][] = [
    ['file', 'File', stats.file],
    ['format', 'Format', stats.format],
    [
      'kernel',
      'Kernel',
      `${kernel.release ?? 'unknown'}${kernel.table !== null ? ` · table ${kernel.table}` : ''} · ${kernel.source}`,
    ],
    ['host', 'Host', stats.host ?? '—'],
    ['command', 'Capture command', stats.command ?? '—'],
    ['events', 'Events', formatCount(stats.events)],
    ['first', 'First event', seconds(stats.first)],
    ['last', 'Last event', seconds(stats.last)],
    ['duration', 'Duration', seconds(stats.duration_s)],
    ['mean-rate', 'Mean rate', rate(stats.rate.mean_per_s)],
    ['peak-rate', 'Peak rate (any 1 s)', rate(stats.rate.peak_per_s)],
    [
      'lost',
      'Lost by the tracer',
      stats.lost === null ? 'unknown (the format does not record it)' : formatCount(stats.lost),
    ],
    ['skipped', 'Skipped lines', formatCount(stats.skipped)],
  ];
  return (
    <div className="capture-info">
      <table className="data-table">
        <tbody>
          {rows.map(([id, label, value]) => (
            <tr key={id} data-testid={`capture-info-${id}`}>
              <th scope="row">{label}</th>
              <td className="mono">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Per CPU</h3>
      {cpus.length === 0 ? (
        <p className="muted">No CPU numbers in this trace.</p>
      ) : (
        <table className="data-table" data-testid="capture-info-cpus">
          <thead>
            <tr>
              <th>CPU</th>
              <th>Events</th>
              <th>First</th>
              <th>Last</th>
            </tr>
          </thead>
          <tbody>
            {cpus.map((cpu) => {
              const span = stats.cpu_spans[cpu];
              return (
                <tr key={cpu} data-testid="capture-info-cpu" data-cpu={cpu}>
                  <td className="mono">{cpu}</td>
                  <td className="mono" data-testid="capture-info-cpu-events">
                    {formatCount(span?.events ?? 0)}
                  </td>
                  <td className="mono">{seconds(span?.first ?? null)}</td>
                  <td className="mono">{seconds(span?.last ?? null)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <h3>Gaps</h3>
      {stats.gaps.length === 0 ? (
        <p className="muted" data-testid="capture-info-no-gaps">
          No gap longer than {seconds(stats.gap_threshold_s)}.
        </p>
      ) : (
        <table className="data-table" data-testid="capture-info-gaps">
          <thead>
            <tr>
              <th>From</th>
              <th>To</th>
              <th>Length</th>
            </tr>
          </thead>
          <tbody>
            {stats.gaps.map((gap) => (
              <tr key={gap.start}>
                <td className="mono">{seconds(gap.start)}</td>
                <td className="mono">{seconds(gap.end)}</td>
                <td className="mono">{seconds(gap.seconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
