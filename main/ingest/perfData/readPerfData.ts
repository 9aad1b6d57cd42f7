/**
 * Reads a perf.data file (regular or pipe mode) into a sink: header → attrs → feature sections
 * (tracing data, kernel identity, host facts) → the data section, record by record, through
 * `PerfSession`.
 *
 * Damage is reported, not fatal: a file cut inside its data section loads the records before
 * the cut (and its lost feature sections are named in a warning); only a header that cannot be
 * read fails the load, with a message naming the file.
 */
import type { Result } from '../../../shared/util';
import type { EventStore } from '../../store';
import { err, ok } from '../../../shared/util';
import { TruncatedError } from '../traceDat/ByteReader';
import {
  PROGRESS_EVERY_BYTES,
  type BinaryReadContext,
  type BinaryReadOutcome,
} from '../traceDat/BinaryReadContext';
import { PerfSession } from './PerfSession';
import {
  PERF_HEADER_BYTES,
  parsePerfFileHeader,
  readAttrsSection,
  readFeatureIndex,
  type PerfAttrEntry,
  type PerfFileHeader,
} from './PerfFileHeader';
import { emptyPerfFeatures, readPerfFeature, type PerfFeatures } from './perfFeatures';
import { walkRecords } from './PerfRecordWalker';

const FEATURE_NAMES: Readonly<Record<number, string>> = {
  1: 'tracing data',
  2: 'build ids',
  3: 'hostname',
  4: 'os release',
  5: 'perf version',
  6: 'arch',
  7: 'CPU counts',
  11: 'command line',
  12: 'event descriptions',
};

async function readFeatures(
  ctx: BinaryReadContext,
  header: PerfFileHeader,
  features: PerfFeatures,
): Promise<void> {
  const { sink, path, file } = ctx;
  const index = await readFeatureIndex(file, header);
  if (!index.complete) {
    const missing = header.features.filter((bit) => bit > 0 && !index.sections.has(bit));
    const named = missing.map((bit) => FEATURE_NAMES[bit]).filter((name) => name !== undefined);
    const others = missing.length - named.length;
    sink.warn(
      `${path}: the file ends before its feature sections (at byte ${header.data.offset + header.data.size}); ` +
        `lost: ${[...named, ...(others > 0 ? [`${others} other`] : [])].join(', ')}`,
    );
  }
  for (const [bit, section] of [...index.sections].sort((a, b) => a[0] - b[0])) {
    const payload = await file.read(section.offset, section.size);
    try {
      readPerfFeature(bit, payload, header.littleEndian, features);
    } catch (error) {
      const name = FEATURE_NAMES[bit] ?? `feature ${bit}`;
      sink.warn(
        `${path}: the ${name} section at byte ${section.offset} cannot be read: ${(error as Error).message}`,
      );
    }
  }
}

/**
 * Reads `ctx.file` as perf.data. Fails only when the header or attrs cannot be read.
 *
 * Drop events go to `ctx.sink` one by one, or, when `store` (a new one) is given, straight into
 * it in batches — the fast path `readBinaryTrace` uses; the sink still gets everything else.
 */
export async function readPerfData(
  ctx: BinaryReadContext,
  store: EventStore | null = null,
): Promise<Result<BinaryReadOutcome>> {
  const { sink, path, file } = ctx;
  const parsed = parsePerfFileHeader(await file.read(0, PERF_HEADER_BYTES), file.size);
  if (!parsed.ok) return err(`${path}: ${parsed.error}`);
  const header = parsed.value;
  const features = emptyPerfFeatures();
  let attrs: PerfAttrEntry[] = [];
  if (!header.pipe) {
    try {
      attrs = await readAttrsSection(file, header);
    } catch (error) {
      const why =
        error instanceof TruncatedError
          ? `${error.what} lies beyond the end of the file`
          : (error as Error).message;
      return err(`${path}: corrupt perf.data header: ${why}`);
    }
    if (header.data.size === 0) {
      header.data.size = Math.max(0, file.size - header.data.offset);
      sink.warn(
        `${path}: the header's data size is 0 (was perf record killed before it finished?); ` +
          'reading the data up to the end of the file',
      );
    } else await readFeatures(ctx, header, features);
  }
  sink.meta({
    ...features.meta,
    perfDataMode: header.pipe ? 'pipe' : 'file',
    endian: header.littleEndian ? 'little' : 'big',
  });

  let nextProgress = PROGRESS_EVERY_BYTES;
  let cancelled = false;
  const session = new PerfSession(features, {
    sink,
    file: path,
    littleEndian: header.littleEndian,
    userSymbolize: ctx.userSymbolize,
    ...(ctx.machine ? { machine: ctx.machine } : {}),
    ...(store ? { store } : {}),
    onChunk: (offset) => {
      if (ctx.signal?.aborted) {
        cancelled = true;
        return false;
      }
      if (offset >= nextProgress) {
        nextProgress = offset + PROGRESS_EVERY_BYTES;
        ctx.onProgress?.(offset);
      }
      return true;
    },
  });
  session.attrs.push(...attrs);
  if (!header.pipe) await session.prepare();
  const walk = await walkRecords(
    file,
    header.data.offset,
    header.data.offset + header.data.size,
    header.littleEndian,
    session,
  );
  session.finish();
  await session.resolveSymbols();
  if (walk.problem)
    sink.warn(`${path}: ${walk.problem}; the ${session.events} drop events before it are loaded`);
  if (cancelled)
    sink.warn(
      `${path}: loading was cancelled at byte ${walk.endOffset}; the events before it are loaded`,
    );
  if (session.attrs.length === 0) sink.warn(`${path}: the file describes no events (no attrs)`);
  else if (session.events === 0 && session.otherSamples > 0) {
    sink.warn(`${path}: none of the ${session.otherSamples} samples is a skb:kfree_skb event`);
  }
  sink.meta(features.meta);
  const eventNames = [...new Set(features.eventNames.values())];
  if (eventNames.length > 0) sink.meta({ perfEvents: eventNames.join(', ') });
  if (features.kernelBuildId) sink.meta({ kernelBuildId: features.kernelBuildId });
  if (session.otherSamples > 0) sink.meta({ otherEventSamples: session.otherSamples });
  sink.meta({ lost: session.lost });
  if (session.lost > 0) {
    sink.warn(
      `${path}: perf lost ${session.lost} events (${session.lostRecords} LOST record${session.lostRecords === 1 ? '' : 's'}); ` +
        'the counts are lower than what the kernel dropped',
    );
  }
  if (features.meta.capturedOn === undefined && ctx.modifiedAt) {
    sink.meta({
      capturedOn: ctx.modifiedAt.toISOString(),
      capturedOnSource: 'file modification time',
    });
  }
  return ok({ records: session.records, cancelled });
}
