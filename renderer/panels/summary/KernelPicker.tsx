/**
 * KernelPicker: re-decodes the trace's reason numbers with another kernel's table
 * (`kernel:tables` → `trace:redecode`), or goes back to the automatic choice.
 */
import { useMemo, useState } from 'react';
import type { TraceInfo } from '../../../shared/contract';
import { Dialog } from '../../components';
import { useApi, useQuery } from '../../services';
import { useSessionActions } from '../../state';

/** Props of the kernel picker. */
export interface KernelPickerProps {
  trace: TraceInfo;
  onClose: () => void;
}

/** Sorts release strings by their numbers, newest first (`6.18.44` before `6.12` before `5.17`). */
function byReleaseDescending(a: string, b: string): number {
  const parts = (text: string) =>
    text
      .split(/[^0-9]+/)
      .filter(Boolean)
      .map(Number);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pb[i] ?? -1) - (pa[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return a.localeCompare(b);
}

/** The kernel picker dialog. */
export function KernelPicker({ trace, onClose }: KernelPickerProps) {
  const api = useApi();
  const { redecode } = useSessionActions();
  const tables = useQuery('kernel:tables', () => api.kernelTables());
  const [search, setSearch] = useState('');
  const [isBusy, setBusy] = useState(false);

  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return (tables.data ?? [])
      .filter((table) => needle === '' || table.kernel.toLowerCase().includes(needle))
      .sort((a, b) => byReleaseDescending(a.kernel, b.kernel));
  }, [tables.data, search]);

  const choose = async (kernel: string | null) => {
    setBusy(true);
    await redecode(trace.traceId, kernel);
    setBusy(false);
    onClose();
  };

  return (
    <Dialog title="Kernel reason table" testId="kernel-picker" onClose={onClose}>
      <p>
        Now: <strong>{trace.kernel.table ?? 'no table'}</strong> — {trace.kernel.detail}
      </p>
      {!trace.hasNumericReasons && (
        <p className="muted">
          This trace prints reason names, so the table does not change its reasons.
        </p>
      )}
      <div className="kernel-picker-controls">
        <input
          type="search"
          placeholder="Filter releases, e.g. 6.12"
          aria-label="Filter kernel releases"
          data-testid="kernel-picker-search"
          value={search}
          autoFocus
          onChange={(event) => setSearch(event.target.value)}
        />
        <button
          type="button"
          className="button-small"
          data-testid="kernel-picker-auto"
          disabled={isBusy}
          onClick={() => void choose(null)}
        >
          Automatic
        </button>
      </div>
      {tables.error !== null && <p className="facet-error">{tables.error}</p>}
      <ul className="kernel-list" aria-busy={tables.isLoading || isBusy}>
        {shown.map((table) => (
          <li key={table.kernel}>
            <button
              type="button"
              className={
                table.kernel === trace.kernel.table ? 'kernel-option is-current' : 'kernel-option'
              }
              data-testid="kernel-picker-option"
              data-kernel={table.kernel}
              disabled={isBusy}
              onClick={() => void choose(table.kernel)}
            >
              <span className="mono">{table.kernel}</span>
              <span className="muted">{table.kind}</span>
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
