/**
 * The bar above a live capture's workspace: its state (starting, recording, stopping, stopped,
 * failed), the backend and where the filter runs, live counters (drops received, rate and peak,
 * lost as the kernel or tool counted, evicted by the ring limit, filtered out in user space), the
 * top reasons so far, Stop, and Save capture. A capture that ended badly says why; its drops stay.
 */
import type { CaptureStatus } from '../../../shared/model';
import { isCaptureEnded } from '../../../shared/model';
import { formatCount } from '../../components';
import { useCaptureActions, useCaptureOfTrace, useExportActions } from '../../state';

/** Props of the bar. */
export interface CaptureBarProps {
  traceId: string;
}

const STATE_LABELS: Record<CaptureStatus['state'], string> = {
  starting: 'Starting capture…',
  recording: 'Recording',
  stopping: 'Stopping: reading what the kernel still buffers…',
  stopped: 'Capture stopped',
  failed: 'Capture failed',
};

/** `1:02:03` or `2:03` from milliseconds. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** The capture bar (see the file overview); nothing for a trace that is not a capture. */
export function CaptureBar({ traceId }: CaptureBarProps) {
  const capture = useCaptureOfTrace(traceId);
  const { stop } = useCaptureActions();
  const { saveCapture } = useExportActions();
  if (!capture) return null;
  const ended = isCaptureEnded(capture.state);
  const lostParts = Object.entries(capture.lost.parts)
    .map(([name, count]) => `${name}: ${formatCount(count)}`)
    .join(', ');
  const topReasons = Object.entries(capture.reasons).slice(0, 4);
  const filter = capture.filter;
  return (
    <section
      className={`capture-bar is-${capture.state}`}
      data-testid="capture-bar"
      data-state={capture.state}
      aria-label="Live capture"
    >
      <div className="capture-bar-row">
        <span className={`capture-dot is-${capture.state}`} aria-hidden="true" />
        <strong data-testid="capture-state">{STATE_LABELS[capture.state]}</strong>
        <span className="muted">
          {capture.backend ?? 'automatic backend'} · {capture.launch} ·{' '}
          {formatElapsed(capture.elapsedMs)}
        </span>
        <span className="capture-counter" data-testid="capture-received">
          <strong>{formatCount(capture.received)}</strong> drops
        </span>
        <span className="capture-counter" data-testid="capture-rate">
          {formatCount(capture.ratePerS)}/s
          <span className="muted"> (peak {formatCount(capture.peakRatePerS)}/s)</span>
        </span>
        <span
          className={capture.lost.total > 0 ? 'capture-counter is-warning' : 'capture-counter'}
          data-testid="capture-lost"
          title={lostParts === '' ? 'Nothing lost so far' : lostParts}
        >
          lost {formatCount(capture.lost.total)}
        </span>
        {capture.evicted > 0 && (
          <span
            className="capture-counter is-warning"
            data-testid="capture-evicted"
            title={`The oldest drops are evicted to keep at most ${formatCount(capture.ringLimit)}`}
          >
            evicted {formatCount(capture.evicted)}
          </span>
        )}
        {capture.filteredOut > 0 && (
          <span className="capture-counter muted" title="Rejected by the user-space filter">
            filtered out {formatCount(capture.filteredOut)}
          </span>
        )}
        <span className="toolbar-spacer" />
        {!ended && (
          <button
            type="button"
            className="button-small button-danger"
            data-testid="capture-stop"
            disabled={capture.state === 'stopping'}
            onClick={() => void stop(traceId)}
          >
            Stop
          </button>
        )}
        <button
          type="button"
          className="button-small"
          data-testid="capture-save"
          disabled={capture.inStore === 0}
          title="Save every drop of this capture in Dropscope's JSON lines (opens again as it is)"
          onClick={() => void saveCapture()}
        >
          Save capture…
        </button>
      </div>
      {(topReasons.length > 0 || filter.text !== null) && (
        <div className="capture-bar-row capture-bar-details">
          {topReasons.length > 0 && (
            <span data-testid="capture-reasons">
              {topReasons.map(([reason, count]) => (
                <span key={reason} className="capture-reason">
                  {reason} <strong>{formatCount(count)}</strong>
                </span>
              ))}
            </span>
          )}
          {filter.text !== null && (
            <span className="muted" data-testid="capture-filter">
              filter in the kernel ({filter.kernelWhere || 'none'}):{' '}
              <code>{filter.kernel ?? 'nothing'}</code>; in user space:{' '}
              <code>{filter.user ?? 'nothing'}</code>
            </span>
          )}
        </div>
      )}
      {capture.state === 'failed' && capture.error !== null && (
        <p className="capture-error" role="alert" data-testid="capture-error">
          {capture.error}
        </p>
      )}
      {capture.warnings.length > 0 && (
        <details className="capture-warnings">
          <summary>{capture.warnings.length} notes</summary>
          <ul>
            {capture.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
