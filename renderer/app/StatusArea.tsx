/**
 * Loads in progress (with progress and Cancel) and messages for the user (errors, dismissable).
 */
import { ProgressBar, formatBytes, formatCount } from '../components';
import { useLoads, useSessionActions, useSessionMessages } from '../state';

/** Loads in progress, under the top bar. */
export function LoadProgressList() {
  const loads = useLoads();
  const { cancelLoad } = useSessionActions();
  if (loads.length === 0) return null;
  return (
    <div className="loads" data-testid="load-progress" role="status" aria-live="polite">
      {loads.map((load) => (
        <div key={load.loadId} className="load" data-testid="load-item">
          <span className="load-name">
            {load.phase === 'uploading' ? 'Uploading' : 'Reading'} <strong>{load.name}</strong>
          </span>
          <ProgressBar
            done={load.doneBytes}
            total={load.totalBytes}
            label={`Loading ${load.name}`}
          />
          <span className="load-figures muted">
            {load.totalBytes > 0 &&
              `${formatBytes(load.doneBytes)} of ${formatBytes(load.totalBytes)}`}
            {load.phase === 'reading' && load.events > 0 && ` · ${formatCount(load.events)} drops`}
          </span>
          <button
            type="button"
            className="button-small"
            data-testid="load-cancel"
            disabled={!load.canCancel}
            onClick={() => cancelLoad(load.loadId)}
          >
            Cancel
          </button>
        </div>
      ))}
    </div>
  );
}

/** Error messages, bottom right. */
export function MessageList() {
  const messages = useSessionMessages();
  const { dismissMessage } = useSessionActions();
  if (messages.length === 0) return null;
  return (
    <div className="messages" aria-live="assertive">
      {messages.map((message) => (
        <div key={message.id} className="message" role="alert" data-testid="error-message">
          <span>{message.text}</span>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss"
            data-testid="error-dismiss"
            onClick={() => dismissMessage(message.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
