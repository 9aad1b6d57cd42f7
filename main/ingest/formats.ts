/**
 * The registry of text trace formats and content-based detection.
 *
 * Adding a format is one file in this folder plus one line here (and an integration test on
 * its sample).
 */
import type { TraceFormatName } from '../../shared/model';
import { bpftraceFormat } from './bpftrace';
import { dropscopeCsvFormat, dropscopeJsonlFormat } from './dropscopeNormalized';
import { dropwatchFormat } from './dropwatch';
import { ftraceFormat } from './ftrace';
import { perfScriptFormat } from './perfScript';
import { pwruFormat } from './pwru';
import { retisFormat } from './retis';
import { traceCmdReportFormat } from './traceCmdReport';
import type { TraceFormatDefinition } from './TraceParser';

/** Every supported text format, in the order ties are broken. */
export const TRACE_FORMAT_DEFINITIONS: readonly TraceFormatDefinition[] = [
  dropscopeJsonlFormat,
  dropscopeCsvFormat,
  perfScriptFormat,
  ftraceFormat,
  traceCmdReportFormat,
  bpftraceFormat,
  dropwatchFormat,
  pwruFormat,
  retisFormat,
];

/** The definition of a format by name. */
export function formatDefinition(name: TraceFormatName): TraceFormatDefinition {
  const found = TRACE_FORMAT_DEFINITIONS.find((format) => format.name === name);
  if (!found) throw new Error(`no parser registered for format ${name}`);
  return found;
}

/** Minimum score for a detection to be trusted. */
export const DETECTION_THRESHOLD = 0.3;

/** The outcome of detection: the best format (or null) and every score, best first. */
export interface Detection {
  format: TraceFormatDefinition | null;
  scores: { name: TraceFormatName; score: number }[];
}

/**
 * Picks the format whose detector scores the first lines highest. A detector that throws
 * scores 0 (detection must never crash a load).
 */
export function detectTraceFormat(head: readonly string[]): Detection {
  const scores = TRACE_FORMAT_DEFINITIONS.map((format) => {
    let score: number;
    try {
      score = format.detect(head);
    } catch {
      score = 0;
    }
    return { name: format.name, score: Number.isFinite(score) ? score : 0, format };
  }).sort((a, b) => b.score - a.score);
  const best = scores[0];
  return {
    format: best && best.score >= DETECTION_THRESHOLD ? best.format : null,
    scores: scores.map(({ name, score }) => ({ name, score })),
  };
}
