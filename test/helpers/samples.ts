/**
 * Locates the real sample traces in ../shared/samples (beside the checkout) and reads the MANIFEST.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Folder of the real samples (override with DROPSCOPE_SAMPLES). */
export const samplesDir =
  process.env.DROPSCOPE_SAMPLES ?? resolve(repoRoot, '..', 'shared', 'samples');

/** Folder of the per-kernel reason tables (override with DROPSCOPE_KERNEL_REASONS). */
export const kernelReasonsDir =
  process.env.DROPSCOPE_KERNEL_REASONS ?? resolve(repoRoot, '..', 'shared', 'kernel-reasons');

/** Absolute path of a sample file. */
export function samplePath(name: string): string {
  return resolve(samplesDir, name);
}

/** Whether the samples folder is present (tests on samples skip with a message otherwise). */
export const hasSamples = existsSync(resolve(samplesDir, 'MANIFEST.md'));

/** Expected counts of one sample, read from the MANIFEST. */
export interface ManifestEntry {
  events: number;
  /** Reason name → events (numbers already decoded by the MANIFEST for bpftrace files). */
  reasons: Record<string, number>;
}

/**
 * Parses MANIFEST.md: each `### \`file\`` section's `Events: **N**` and its reason table
 * (`| NAME | N |`, or `| number | NAME | N |` for bpftrace files).
 */
export function readManifest(): Map<string, ManifestEntry> {
  const text = readFileSync(resolve(samplesDir, 'MANIFEST.md'), 'utf8');
  const result = new Map<string, ManifestEntry>();
  let current: ManifestEntry | null = null;
  for (const line of text.split('\n')) {
    const heading = /^### `([^`]+)`/.exec(line);
    if (heading?.[1]) {
      current = { events: -1, reasons: {} };
      result.set(heading[1], current);
      continue;
    }
    if (line.startsWith('## ')) {
      current = null;
      continue;
    }
    if (!current) continue;
    const events = /^Events: \*\*(\d+)\*\*/.exec(line);
    if (events?.[1]) current.events = Number(events[1]);
    const three = /^\|\s*\d+\s*\|\s*([A-Z0-9_]+)\s*\|\s*(\d+)\s*\|$/.exec(line);
    const two = /^\|\s*([A-Z][A-Z0-9_]*)\s*\|\s*(\d+)\s*\|$/.exec(line);
    const row = three ?? two;
    if (row?.[1] && row[2]) current.reasons[row[1]] = Number(row[2]);
  }
  for (const [name, entry] of result) if (entry.events < 0) result.delete(name);
  return result;
}
