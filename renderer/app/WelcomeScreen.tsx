/**
 * The welcome screen (no trace open): Open…, the bundled sample (one click to real drops), the
 * recent files (clickable where paths can be opened), and how to capture drops.
 */
import {
  useAppInfo,
  useIsSessionReady,
  useLoads,
  useRecentFiles,
  useSessionActions,
} from '../state';

/** Props of the welcome screen. */
export interface WelcomeScreenProps {
  onOpen: () => void;
  /** Opens the Record dialog (live capture). */
  onRecord: () => void;
}

/** The welcome screen (see the file overview). */
export function WelcomeScreen({ onOpen, onRecord }: WelcomeScreenProps) {
  const appInfo = useAppInfo();
  const isReady = useIsSessionReady();
  const recent = useRecentFiles();
  const loads = useLoads();
  const { openSample, openPath } = useSessionActions();
  const canOpenPaths = appInfo?.canOpenPaths ?? false;
  const isLoading = loads.length > 0;

  return (
    <main className="welcome" data-testid="welcome">
      <div className="welcome-card">
        <h1>Dropscope</h1>
        <p className="welcome-tagline">
          Why did the kernel drop those packets? Open a trace of <code>skb:kfree_skb</code> from
          perf, ftrace, trace-cmd, bpftrace, dropwatch, pwru or retis.
        </p>
        <div className="welcome-actions">
          <button
            type="button"
            className="button-primary button-large"
            data-testid="welcome-open"
            onClick={onOpen}
          >
            Open a trace…
          </button>
          {appInfo?.hasSample && (
            <button
              type="button"
              className="button-large"
              data-testid="welcome-open-sample"
              disabled={isLoading}
              onClick={() => void openSample()}
            >
              Open the bundled sample
            </button>
          )}
          <button
            type="button"
            className="button-large"
            data-testid="welcome-record"
            title={
              appInfo?.canCapture === false
                ? 'Live capture is off here; the dialog says how to turn it on'
                : 'Record drops from this machine as they happen'
            }
            onClick={onRecord}
          >
            Record live drops…
          </button>
        </div>
        <p className="muted">…or drop trace files anywhere on this window.</p>
        {!isReady && <p className="muted">Connecting…</p>}

        {recent.length > 0 && (
          <section className="welcome-recent" data-testid="welcome-recent">
            <h2>Recent files</h2>
            <ul>
              {recent.map((path) => (
                <li key={path}>
                  {canOpenPaths ? (
                    <button
                      type="button"
                      className="link-button mono"
                      data-testid="welcome-recent-item"
                      title={`Open ${path}`}
                      disabled={isLoading}
                      onClick={() => void openPath(path)}
                    >
                      {path}
                    </button>
                  ) : (
                    <span className="mono muted" data-testid="welcome-recent-item">
                      {path}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}

        <section className="welcome-capture">
          <h2>Capture drops</h2>
          <p className="muted">
            Record… captures here (it asks for root through polkit or sudo). Elsewhere, capture with
            perf and open the file:
          </p>
          <pre className="mono">
            {'sudo perf record -e skb:kfree_skb -a -g -o perf.data -- sleep 30\n'}
            {'sudo perf script --header -i perf.data > drops.txt'}
          </pre>
        </section>
      </div>
    </main>
  );
}
