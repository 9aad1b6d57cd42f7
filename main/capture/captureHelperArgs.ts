/**
 * The arguments of the privileged capture helper (`dropscope capture --helper …`), built by the
 * unprivileged side and validated strictly by the helper before anything runs as root.
 *
 * The helper accepts exactly: `--helper` first, then each of `--backend=NAME`, `--duration=D`,
 * `--count=N`, `--filter=EXPR`, `--buffer-kb=N` at most once, always in `--name=value` form (so a
 * value can never be mistaken for an option). No positional arguments, no output path (the
 * helper writes only to its stdout), no other option. Values are checked by type and range, the
 * filter is parsed again with the same vocabulary and size-limited; control characters are
 * refused everywhere.
 */
import type { FilterExpr } from '../../shared/model';
import type { FilterVocabulary } from '../../shared/filter';
import { parseFilter } from '../../shared/filter';
import type { Result } from '../../shared/util';
import { err, ok } from '../../shared/util';
import { isCaptureBackendName, type CaptureBackendName } from './CaptureBackend';
import { formatDuration, parseDuration } from './parseDuration';

/** What the unprivileged side asks the helper to capture. */
export interface CaptureHelperRequest {
  /** null: the helper chooses the first available backend. */
  backend: CaptureBackendName | null;
  durationMs: number | null;
  count: number | null;
  /** Display-filter text; null for none. */
  filter: string | null;
  bufferKb: number | null;
}

/** A validated request with its filter parsed. */
export interface ValidatedHelperRequest extends CaptureHelperRequest {
  filterExpr: FilterExpr | null;
}

/** The helper's marker argument (right after the command name). */
export const HELPER_FLAG = '--helper';
/** Limits of the numeric arguments. */
export const MAX_CAPTURE_COUNT = 1_000_000_000;
export const MIN_BUFFER_KB = 64;
export const MAX_BUFFER_KB = 1 << 20;
/** Longest filter text accepted. */
export const MAX_FILTER_CHARS = 4096;

const NAMES = ['backend', 'duration', 'count', 'filter', 'buffer-kb'] as const;
type HelperOption = (typeof NAMES)[number];

/** The argv after `dropscope capture` for a request: `--helper --backend=tracefs …`. */
export function captureHelperArgs(request: CaptureHelperRequest): string[] {
  const args = [HELPER_FLAG];
  if (request.backend !== null) args.push(`--backend=${request.backend}`);
  if (request.durationMs !== null) args.push(`--duration=${formatDuration(request.durationMs)}`);
  if (request.count !== null) args.push(`--count=${request.count}`);
  if (request.filter !== null) args.push(`--filter=${request.filter}`);
  if (request.bufferKb !== null) args.push(`--buffer-kb=${request.bufferKb}`);
  return args;
}

function integerIn(text: string, min: number, max: number): number | null {
  if (!/^\d{1,10}$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

/**
 * Validates the helper's argv (after `dropscope capture`). Every failure says which argument
 * and why; nothing is accepted that `captureHelperArgs` would not produce.
 */
export function parseCaptureHelperArgs(
  args: readonly string[],
  vocabulary: FilterVocabulary,
): Result<ValidatedHelperRequest> {
  if (args[0] !== HELPER_FLAG) return err(`the helper's first argument must be ${HELPER_FLAG}`);
  const request: ValidatedHelperRequest = {
    backend: null,
    durationMs: null,
    count: null,
    filter: null,
    bufferKb: null,
    filterExpr: null,
  };
  const seen = new Set<HelperOption>();
  for (const arg of args.slice(1)) {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(arg))
      return err('helper arguments may not hold control characters');
    const match = /^--([a-z-]+)=(.*)$/s.exec(arg);
    const name = match?.[1];
    const value = match?.[2] ?? '';
    if (name === undefined || !(NAMES as readonly string[]).includes(name)) {
      return err(
        `unexpected helper argument "${arg.slice(0, 60)}"; allowed: ${NAMES.map((n) => `--${n}=…`).join(' ')}`,
      );
    }
    const option = name as HelperOption;
    if (seen.has(option)) return err(`--${option} given twice`);
    seen.add(option);
    switch (option) {
      case 'backend':
        if (!isCaptureBackendName(value))
          return err(`--backend must be tracefs, perf or bpftrace, not "${value.slice(0, 40)}"`);
        request.backend = value;
        break;
      case 'duration': {
        const ms = parseDuration(value);
        if (ms === null)
          return err(
            `--duration takes a time such as 30s, 500ms or 2m (at most 24h), not "${value.slice(0, 40)}"`,
          );
        request.durationMs = ms;
        break;
      }
      case 'count': {
        const n = integerIn(value, 1, MAX_CAPTURE_COUNT);
        if (n === null)
          return err(
            `--count takes a whole number from 1 to ${MAX_CAPTURE_COUNT}, not "${value.slice(0, 40)}"`,
          );
        request.count = n;
        break;
      }
      case 'buffer-kb': {
        const n = integerIn(value, MIN_BUFFER_KB, MAX_BUFFER_KB);
        if (n === null)
          return err(
            `--buffer-kb takes a whole number from ${MIN_BUFFER_KB} to ${MAX_BUFFER_KB}, not "${value.slice(0, 40)}"`,
          );
        request.bufferKb = n;
        break;
      }
      case 'filter': {
        if (value.length > MAX_FILTER_CHARS)
          return err(`--filter is longer than ${MAX_FILTER_CHARS} characters`);
        const parsed = parseFilter(value, vocabulary);
        if (!parsed.ok) return err(`bad --filter expression:\n${parsed.error.display}`);
        request.filter = parsed.expr === null ? null : value;
        request.filterExpr = parsed.expr;
        break;
      }
      default:
        return err(`unexpected helper argument --${String(option)}`);
    }
  }
  return ok(request);
}
