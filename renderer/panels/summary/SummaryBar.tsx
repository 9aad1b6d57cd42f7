/**
 * SummaryBar: what the active trace is — file, format, kernel table and how it was chosen (click
 * to pick another table), events shown / total, time span, drop rate, skipped lines and warnings
 * (click for the details), and Capture info (capinfos-like statistics under the filter).
 */
import { useState } from 'react';
import type { TraceInfo } from '../../../shared/contract';
import type { KernelTableSource } from '../../../shared/model';
import { Dialog, formatCount, formatDurationNs, formatRate } from '../../components';
import { useApi, useQuery } from '../../services';
import { useFilterSpec, useTraceDataVersion, useTraceRevision } from '../../state';
import { CaptureInfoDialog } from './CaptureInfoDialog';
import { KernelPicker } from './KernelPicker';

/** Props of the summary bar. */
export interface SummaryBarProps {
  trace: TraceInfo;
}

/** How each decoding source reads in the bar. */
export const KERNEL_SOURCE_LABELS: Readonly<Record<KernelTableSource, string>> = {
  'embedded-format': 'format in the trace',
  'kernel-format-file': 'tracepoint format file',
  btf: 'BTF',
  'trace-header': 'trace header',
  'cli-release': 'chosen release',
  'best-guess': 'best guess',
  none: 'not needed',
};

/** The summary bar (see the file overview). */
export function SummaryBar({ trace }: SummaryBarProps) {
  const api = useApi();
  const spec = useFilterSpec(trace.traceId);
  const revision = useTraceRevision(trace.traceId);
  const dataVersion = useTraceDataVersion(trace.traceId);
  const [dialog, setDialog] = useState<'kernel' | 'skipped' | 'warnings' | 'capture' | null>(null);
  const isFiltered = spec.expr != null || spec.timeRange != null;
  const filtered = useQuery(
    isFiltered ? JSON.stringify([trace.traceId, revision, dataVersion, spec]) : null,
    async () => (await api.page(trace.traceId, spec, null, 0, 0)).total,
  );
  const shown = isFiltered ? filtered.data : trace.events;

  const spanNs =
    spec.timeRange != null
      ? spec.timeRange.endNs - spec.timeRange.startNs
      : trace.firstNs !== null && trace.lastNs !== null
        ? trace.lastNs - trace.firstNs
        : null;
  const kernel = trace.kernel;
  const isGuess = kernel.source === 'best-guess';

  return (
    <div className="summary-bar" data-testid="summary-bar">
      <span className="summary-item summary-file" data-testid="summary-file" title={trace.file}>
        <strong>{trace.name}</strong>
      </span>
      <span className="summary-item" data-testid="summary-format">
        {trace.formatLabel}
      </span>
      <button
        type="button"
        className={
          isGuess ? 'summary-item summary-button is-warning' : 'summary-item summary-button'
        }
        data-testid="summary-kernel"
        title={`${kernel.detail}\nClick to decode with another kernel's table.`}
        onClick={() => setDialog('kernel')}
      >
        kernel {kernel.release ?? 'unknown'}
        {kernel.table !== null && kernel.table !== kernel.release && (
          <span className="muted"> · table {kernel.table}</span>
        )}
        <span className="muted"> · {KERNEL_SOURCE_LABELS[kernel.source]}</span>
      </button>
      <span
        className="summary-item"
        data-testid="summary-total"
        title={isFiltered ? 'Drops matching the filter / all drops' : 'All drops (no filter)'}
      >
        <strong data-testid="summary-filtered">
          {shown === undefined ? '…' : formatCount(shown)}
        </strong>
        {' / '}
        <span data-testid="summary-events">{formatCount(trace.events)}</span> events
      </span>
      <span className="summary-item" data-testid="summary-span" title="Time span">
        {spanNs === null ? 'no timestamps' : formatDurationNs(spanNs)}
      </span>
      <span className="summary-item" data-testid="summary-rate" title="Drops per second">
        {spanNs === null || shown === undefined ? '—' : formatRate(shown, spanNs)}
      </span>
      {trace.aggregates.drops > 0 && (
        <span
          className="summary-item"
          data-testid="summary-aggregates"
          title="Drops the tool counted itself (dropwatch summary lines), not individual events"
        >
          +{formatCount(trace.aggregates.drops)} aggregated
        </span>
      )}
      {typeof trace.meta.lost === 'number' && trace.meta.lost > 0 && (
        <span className="summary-item is-warning" title="Events the tracer says it lost">
          {formatCount(trace.meta.lost)} lost by the tracer
        </span>
      )}
      <span className="toolbar-spacer" />
      <button
        type="button"
        className="summary-item summary-button"
        data-testid="capture-info-button"
        title="Capture statistics under the current filter: span, rates, per-CPU counts, gaps"
        onClick={() => setDialog('capture')}
      >
        Capture info
      </button>
      <button
        type="button"
        className={
          trace.skipped.lines > 0
            ? 'summary-item summary-button is-warning'
            : 'summary-item summary-button'
        }
        data-testid="skipped-lines-button"
        onClick={() => setDialog('skipped')}
      >
        {formatCount(trace.skipped.lines)} skipped line{trace.skipped.lines === 1 ? '' : 's'}
      </button>
      <button
        type="button"
        className={
          trace.warnings.length > 0
            ? 'summary-item summary-button is-warning'
            : 'summary-item summary-button'
        }
        data-testid="warnings-button"
        onClick={() => setDialog('warnings')}
      >
        {trace.warnings.length} warning{trace.warnings.length === 1 ? '' : 's'}
      </button>

      {dialog === 'kernel' && <KernelPicker trace={trace} onClose={() => setDialog(null)} />}
      {dialog === 'capture' && <CaptureInfoDialog trace={trace} onClose={() => setDialog(null)} />}
      {dialog === 'skipped' && (
        <Dialog
          title="Skipped lines"
          testId="skipped-lines-dialog"
          isWide
          onClose={() => setDialog(null)}
        >
          <p data-testid="skipped-lines-total">
            {formatCount(trace.skipped.lines)} line{trace.skipped.lines === 1 ? '' : 's'} of{' '}
            {trace.name} could not be read
            {trace.skipped.examples.length > 0 &&
              trace.skipped.examples.length < trace.skipped.lines &&
              `; the first ${trace.skipped.examples.length} are shown`}
            .
          </p>
          {trace.skipped.examples.length > 0 && (
            <table className="data-table">
              <thead>
                <tr>
                  <th>Where</th>
                  <th>Why</th>
                  <th>Text</th>
                </tr>
              </thead>
              <tbody>
                {trace.skipped.examples.map((example) => (
                  <tr key={example.line} data-testid="skipped-line-item">
                    <td className="mono nowrap">
                      {trace.name}:{example.line}
                    </td>
                    <td>{example.why}</td>
                    <td className="mono clip" title={example.text}>
                      {example.text}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Dialog>
      )}
      {dialog === 'warnings' && (
        <Dialog title="Warnings" testId="warnings-dialog" onClose={() => setDialog(null)}>
          {trace.warnings.length === 0 ? (
            <p>Nothing to warn about.</p>
          ) : (
            <ul className="warning-list">
              {trace.warnings.map((warning, index) => (
                <li key={index} data-testid="warning-item">
                  {warning}
                </li>
              ))}
            </ul>
          )}
        </Dialog>
      )}
    </div>
  );
}
