/**
 * The top bar: a tab per open trace, Open…, Record…, the main view switch, Export (the current view), the
 * theme toggle and the connection status (browser mode).
 */
import type { TraceInfo } from '../../shared/contract';
import { formatCount } from '../components';
import { ExportMenu } from './ExportMenu';
import type { TransportStatus } from '../services';
import {
  useActiveTraceId,
  useOpenTraces,
  useSessionActions,
  useThemePreference,
  useViewActions,
  useViewSetting,
  type MainView,
} from '../state';

/** Props of the top bar. */
export interface TopBarProps {
  onOpen: () => void;
  /** Opens the Record dialog (live capture). */
  onRecord: () => void;
  connection: TransportStatus;
}

const VIEWS: readonly { view: MainView; label: string }[] = [
  { view: 'explorer', label: 'Explorer' },
  { view: 'breakdown', label: 'Breakdown' },
  { view: 'compare', label: 'Compare' },
];

const THEME_LABELS = {
  system: 'Theme: system',
  light: 'Theme: light',
  dark: 'Theme: dark',
} as const;

/** The top bar (see the file overview). */
export function TopBar({ onOpen, onRecord, connection }: TopBarProps) {
  const traces = useOpenTraces();
  const activeTraceId = useActiveTraceId();
  const { activateTrace, closeTrace } = useSessionActions();
  const mainView = useViewSetting('mainView');
  const theme = useThemePreference();
  const { setMainView, cycleTheme } = useViewActions();

  return (
    <header className="top-bar">
      <span className="app-name">Dropscope</span>
      <nav className="tabs" role="tablist" aria-label="Open traces" data-testid="tabs">
        {traces.map((trace) => (
          <TraceTab
            key={trace.traceId}
            trace={trace}
            isActive={trace.traceId === activeTraceId}
            onActivate={() => activateTrace(trace.traceId)}
            onClose={() => void closeTrace(trace.traceId)}
          />
        ))}
      </nav>
      <button
        type="button"
        className="button-small"
        data-testid="open-button"
        title="Open a trace file (Ctrl/Cmd+O); you can also drop files on the window"
        onClick={onOpen}
      >
        Open…
      </button>
      <button
        type="button"
        className="button-small record-button"
        data-testid="record-button"
        title="Record live drops from this machine's kernel (F9 in the desktop app)"
        onClick={onRecord}
      >
        <span className="capture-dot is-recording" aria-hidden="true" /> Record…
      </button>
      <span className="toolbar-spacer" />
      {traces.length > 0 && (
        <div className="segmented" role="group" aria-label="View">
          {VIEWS.map(({ view, label }) => (
            <button
              key={view}
              type="button"
              className={mainView === view ? 'is-active' : undefined}
              aria-pressed={mainView === view}
              data-testid={`view-${view}`}
              onClick={() => setMainView(view)}
            >
              {label}
            </button>
          ))}
        </div>
      )}
      {activeTraceId !== null && <ExportMenu />}
      {connection !== 'open' && (
        <span className="connection is-warning" data-testid="connection-status" role="status">
          {connection === 'connecting'
            ? 'Connecting…'
            : connection === 'reconnecting'
              ? 'Reconnecting…'
              : 'Disconnected'}
        </span>
      )}
      <button
        type="button"
        className="button-small"
        data-testid="theme-toggle"
        title="Switch between the system's theme, light and dark"
        onClick={cycleTheme}
      >
        {THEME_LABELS[theme]}
      </button>
    </header>
  );
}

/** Props of one tab. */
interface TraceTabProps {
  trace: TraceInfo;
  isActive: boolean;
  onActivate: () => void;
  onClose: () => void;
}

function TraceTab({ trace, isActive, onActivate, onClose }: TraceTabProps) {
  return (
    <div className={isActive ? 'tab is-active' : 'tab'}>
      <button
        type="button"
        role="tab"
        aria-selected={isActive}
        className="tab-label"
        data-testid="trace-tab"
        data-trace-id={trace.traceId}
        title={`${trace.file}\n${trace.formatLabel} · ${formatCount(trace.events)} drops`}
        onClick={onActivate}
        onAuxClick={(event) => {
          if (event.button === 1) onClose();
        }}
      >
        {trace.name}
      </button>
      <button
        type="button"
        className="tab-close"
        aria-label={`Close ${trace.name}`}
        data-testid="trace-tab-close"
        onClick={onClose}
      >
        ×
      </button>
    </div>
  );
}
