/**
 * The Record dialog: which backend captures (each with whether it can run here and why not), a
 * display filter (its kernel-side part is pushed into the capture; the capture bar says which
 * part ran where), and the ring limit that bounds memory. Start opens a tab that fills live.
 */
import { useEffect, useState } from 'react';
import { parseFilter } from '../../../shared/filter';
import { MAX_RING_LIMIT, MIN_RING_LIMIT } from '../../../shared/contract';
import type { CaptureBackendName } from '../../../shared/model';
import { Dialog, formatCount } from '../../components';
import {
  catalogueVocabulary,
  DEFAULT_RING_LIMIT,
  useCaptureActions,
  useCaptureBackends,
} from '../../state';

/** Props of the dialog. */
export interface RecordDialogProps {
  onClose: () => void;
}

/** Reads the ring limit field (digits, `_` or `,` separators); null when out of range. */
export function parseRingLimit(text: string): number | null {
  const cleaned = text.replace(/[\s,_]/g, '');
  if (!/^\d{1,9}$/.test(cleaned)) return null;
  const value = Number(cleaned);
  return value >= MIN_RING_LIMIT && value <= MAX_RING_LIMIT ? value : null;
}

/** The Record dialog (see the file overview). */
export function RecordDialog({ onClose }: RecordDialogProps) {
  const { backends, backendsError, isStarting } = useCaptureBackends();
  const { loadBackends, start } = useCaptureActions();
  const [backend, setBackend] = useState<CaptureBackendName | 'auto'>('auto');
  const [filterText, setFilterText] = useState('');
  const [ringText, setRingText] = useState(String(DEFAULT_RING_LIMIT));
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void loadBackends();
  }, [loadBackends]);

  const parsed = parseFilter(filterText, catalogueVocabulary());
  const ringLimit = parseRingLimit(ringText);
  const allowed = backends?.allowed ?? false;
  const chosen = backends?.backends.find((b) => b.name === backend);
  const anyAvailable = backends?.backends.some((b) => b.available) ?? false;
  const canStart =
    allowed &&
    parsed.ok &&
    ringLimit !== null &&
    !isStarting &&
    (backend === 'auto' ? anyAvailable : chosen?.available === true);

  const submit = async (): Promise<void> => {
    if (!canStart || !parsed.ok || ringLimit === null) return;
    setError(null);
    const failure = await start({
      backend: backend === 'auto' ? null : backend,
      filter: parsed.expr,
      filterText: filterText.trim() === '' ? null : filterText.trim(),
      ringLimit,
    });
    if (failure === null) onClose();
    else setError(failure);
  };

  return (
    <Dialog title="Record live drops" testId="record-dialog" isWide onClose={onClose}>
      <form
        className="record-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        {backendsError !== null && (
          <p className="filter-error" role="alert">
            {backendsError}
          </p>
        )}
        {backends === null && backendsError === null && <p>Looking for capture backends…</p>}
        {backends !== null && !backends.allowed && (
          <p className="filter-error" role="alert" data-testid="record-not-allowed">
            {backends.why}
          </p>
        )}
        {backends !== null && backends.allowed && (
          <fieldset className="record-backends" data-testid="record-backends">
            <legend>Backend</legend>
            <p className="muted">{backends.why}</p>
            <label className="record-backend">
              <input
                type="radio"
                name="backend"
                value="auto"
                checked={backend === 'auto'}
                onChange={() => setBackend('auto')}
              />
              <span>
                <strong>Automatic</strong>
                <span className="muted"> — the first available below</span>
              </span>
            </label>
            {backends.backends.map((info) => (
              <label
                key={info.name}
                className={info.available ? 'record-backend' : 'record-backend is-unavailable'}
                data-testid={`record-backend-${info.name}`}
              >
                <input
                  type="radio"
                  name="backend"
                  value={info.name}
                  disabled={!info.available}
                  checked={backend === info.name}
                  onChange={() => setBackend(info.name)}
                />
                <span>
                  <strong>{info.name}</strong> <span className="muted">{info.label}</span>
                  <br />
                  <span className={info.available ? 'muted' : 'record-why'}>
                    {info.available ? info.why : `unavailable: ${info.why}`}
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
        )}
        <label className="record-field">
          <span>Filter (optional; the part the kernel can evaluate runs there)</span>
          <input
            type="text"
            className="filter-input"
            data-testid="record-filter"
            spellCheck={false}
            placeholder="e.g. reason != NOT_SPECIFIED and protocol == IPv4"
            value={filterText}
            onChange={(event) => setFilterText(event.target.value)}
          />
        </label>
        {!parsed.ok && (
          <pre className="filter-error" role="alert" data-testid="record-filter-error">
            {parsed.error.display}
          </pre>
        )}
        <label className="record-field">
          <span>Keep at most (drops; older ones are evicted in blocks of 65,536 and counted)</span>
          <input
            type="text"
            inputMode="numeric"
            data-testid="record-ring-limit"
            value={ringText}
            onChange={(event) => setRingText(event.target.value)}
          />
        </label>
        {ringLimit === null && (
          <p className="filter-error" role="alert">
            A whole number from {formatCount(MIN_RING_LIMIT)} to {formatCount(MAX_RING_LIMIT)}.
          </p>
        )}
        {error !== null && (
          <p className="filter-error" role="alert" data-testid="record-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button-primary"
            data-testid="record-start"
            disabled={!canStart}
          >
            {isStarting ? 'Starting…' : 'Start recording'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
