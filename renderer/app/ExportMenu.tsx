/**
 * Export: the top bar's menu of formats (reports and data) exporting exactly the current view,
 * and the status line under the top bar (progress, then the file written or downloaded, or why
 * it failed). The work is the export store's; File > Export in the desktop menu calls it too.
 */
import { useState } from 'react';
import { EXPORT_FORMAT_INFO, EXPORT_FORMATS } from '../../shared/model';
import { formatBytes, formatCount, ProgressBar } from '../components';
import { useExportActions, useExportStatus } from '../state';

/** The Export button and its menu. */
export function ExportMenu() {
  const [isOpen, setOpen] = useState(false);
  const { job } = useExportStatus();
  const { exportView } = useExportActions();
  return (
    <div className="export-menu">
      <button
        type="button"
        className="button-small"
        data-testid="export-button"
        aria-haspopup="menu"
        aria-expanded={isOpen}
        disabled={job !== null}
        title="Export the current view (filter and brushed range) as a report or data"
        onClick={() => setOpen(!isOpen)}
      >
        Export ▾
      </button>
      {isOpen && (
        <ul className="popover" role="menu" data-testid="export-menu">
          {EXPORT_FORMATS.map((format) => (
            <li key={format} role="none">
              <button
                type="button"
                role="menuitem"
                className="link-button"
                data-testid={`export-${format}`}
                onClick={() => {
                  setOpen(false);
                  void exportView(format);
                }}
              >
                {EXPORT_FORMAT_INFO[format].label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Progress and outcome of the export, under the top bar. */
export function ExportStatus() {
  const { job, result, error } = useExportStatus();
  const { dismiss } = useExportActions();
  if (job) {
    const label = EXPORT_FORMAT_INFO[job.format].label;
    return (
      <div className="export-status" data-testid="export-progress" role="status" aria-live="polite">
        <span>
          Exporting {label} of <strong>{job.traceName}</strong>
        </span>
        <ProgressBar done={job.rows} total={job.total} label={`Exporting ${label}`} />
        {job.total > 0 && (
          <span className="muted">
            {formatCount(job.rows)} of {formatCount(job.total)} drops
          </span>
        )}
      </div>
    );
  }
  if (!result && !error) return null;
  return (
    <div
      className={error ? 'export-status is-error' : 'export-status'}
      data-testid="export-result"
      role={error ? 'alert' : 'status'}
    >
      {error ? (
        <span data-testid="export-error">{error}</span>
      ) : result ? (
        <span>
          {EXPORT_FORMAT_INFO[result.format].label}
          {result.rows !== null && ` (${formatCount(result.rows)} rows)`},{' '}
          {formatBytes(result.bytes)}
          {result.downloadUrl ? (
            <>
              {' '}
              downloaded as{' '}
              <a
                href={result.downloadUrl}
                download={result.fileName}
                data-testid="export-download-link"
              >
                {result.fileName}
              </a>
            </>
          ) : (
            <>
              {' '}
              written to <code data-testid="export-path">{result.path}</code>
            </>
          )}
        </span>
      ) : null}
      <button
        type="button"
        className="icon-button"
        aria-label="Dismiss"
        data-testid="export-dismiss"
        onClick={dismiss}
      >
        ×
      </button>
    </div>
  );
}
