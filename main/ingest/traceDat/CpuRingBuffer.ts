/**
 * Iterates the events of one CPU's ftrace ring-buffer pages, as saved in a trace.dat.
 *
 * A page is a header (u64 timestamp, long `commit` = bytes used plus flags: bit 31 "events
 * were lost before this page", bit 30 "their count is stored after the data") followed by
 * events. Each event starts with a u32: `type_len:5, time_delta:27` (bit order flips with the
 * file's endianness). type_len 1–28 is a data event of type_len×4 bytes; 0 a data event whose
 * length is the next u32 (minus 4); 29 padding (a null event when delta is 0: the page ends);
 * 30 a time extension (`delta + (next u32 << 27)`); 31 an absolute time stamp. This mirrors
 * libtraceevent's kbuffer.c.
 *
 * `RingBufferPages` steps through the events of pages already in memory; it is what live capture
 * uses on the pages it reads from `per_cpu/cpuN/trace_pipe_raw` (main/capture).
 * `CpuRingBuffer` adds the file: pages are read in batches of about 1 MiB (decompressed chunk by
 * chunk for a compressed version 7 file), so only `refill` awaits; stepping from event to event
 * is synchronous.
 */
import type { Result } from '../../../shared/util';
import { err, ok } from '../../../shared/util';
import { parseTracepointFormat } from '../../kernel';
import type { BinaryFile } from './BinaryFile';
import { ByteReader, readU64 } from './ByteReader';
import type { CpuDataRange } from './traceDatOptions';
import type { Inflate } from './traceDatLayout';

/** Where the page header fields are (from events/header_page). */
export interface PageLayout {
  pageSize: number;
  timestampOffset: number;
  commitOffset: number;
  commitSize: number;
  dataOffset: number;
}

/**
 * The page layout from the text of `events/header_page` (`timestamp`, `commit` and `data`
 * fields). `pageSize` is the ring-buffer sub-buffer size when known (tracefs
 * `buffer_subbuf_size_kb`); null takes it from the `data` field (offset + size). Fails, saying
 * which, when a field is missing or unusable.
 */
export function pageLayoutFromHeaderPage(
  text: string,
  pageSize: number | null,
): Result<PageLayout> {
  const parsed = parseTracepointFormat(text);
  if (!parsed.ok) return err(`header_page cannot be read: ${parsed.error}`);
  const field = (name: string) => parsed.value.fields.find((f) => f.name === name);
  const timestamp = field('timestamp');
  const commit = field('commit');
  const data = field('data');
  if (!timestamp || !commit || !data) {
    const missing = [!timestamp && 'timestamp', !commit && 'commit', !data && 'data'];
    return err(`header_page has no ${missing.filter(Boolean).join(', ')} field`);
  }
  if (timestamp.size !== 8 || (commit.size !== 4 && commit.size !== 8)) {
    return err(
      `header_page has a ${timestamp.size}-byte timestamp and a ${commit.size}-byte commit (expected 8 and 4 or 8)`,
    );
  }
  const size = pageSize ?? data.offset + data.size;
  if (!Number.isInteger(size) || size <= data.offset) {
    return err(`the page size ${size} leaves no room for data after byte ${data.offset}`);
  }
  return ok({
    pageSize: size,
    timestampOffset: timestamp.offset,
    commitOffset: commit.offset,
    commitSize: commit.size,
    dataOffset: data.offset,
  });
}

const COMMIT_MASK = (1 << 27) - 1;
const DELTA_MASK = (1 << 27) - 1;
const MISSING_EVENTS = 0x80000000;
const MISSING_STORED = 0x40000000;
const TYPE_PADDING = 29;
const TYPE_TIME_EXTEND = 30;
const TYPE_TIME_STAMP = 31;
const BATCH_BYTES = 1 << 20;
/** Absolute time stamps hold the low 59 bits; the top bits are kept from the running time. */
const TS_LOW_BITS = 2 ** 59;

/**
 * Steps through the events of ring-buffer pages held in memory, page after page; see the file
 * overview. One instance per CPU: timestamps run on from page to page (each page header restarts
 * them), and `lost` / `unknownLoss` add up over every page loaded.
 */
export class RingBufferPages {
  /** Time of the current event (raw clock units). */
  timestamp = 0;
  /** Start and length of the current event's record within `bytes`. */
  dataStart = 0;
  dataLength = 0;
  bytes: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(this.bytes.buffer);
  /** Events the kernel reported lost before pages of this CPU; `unknownLoss` pages said "some". */
  lost = 0;
  unknownLoss = 0;
  private pageStart = 0;
  private pos = 0;
  private pageEnd = 0;

  constructor(
    protected readonly page: PageLayout,
    protected readonly littleEndian: boolean,
  ) {}

  /**
   * Takes `bytes` (whole pages of `page.pageSize`; a shorter last page is read up to its end) as
   * the current batch; `next()` then moves to its first event. The bytes are not copied: they
   * must stay unchanged until the batch is used up.
   */
  load(bytes: Uint8Array): void {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pageStart = -this.page.pageSize;
    this.pageEnd = 0;
    this.pos = 0;
  }

  /** Opens the next page of the batch; false when the batch has no further page. */
  private nextPage(): boolean {
    const { pageSize, dataOffset, commitOffset, commitSize, timestampOffset } = this.page;
    for (;;) {
      this.pageStart += pageSize;
      if (this.pageStart + dataOffset > this.bytes.length) return false;
      const le = this.littleEndian;
      const commitAt = this.pageStart + commitOffset;
      const flags =
        commitSize === 8 && !le
          ? this.view.getUint32(commitAt + 4, le)
          : this.view.getUint32(commitAt, le);
      const used = flags & COMMIT_MASK;
      const data = this.pageStart + dataOffset;
      this.timestamp = readU64(this.view, this.pageStart + timestampOffset, le);
      if ((flags & MISSING_EVENTS) !== 0) {
        if ((flags & MISSING_STORED) !== 0 && data + used + commitSize <= this.bytes.length) {
          this.lost +=
            commitSize === 8
              ? readU64(this.view, data + used, le)
              : this.view.getUint32(data + used, le);
        } else this.unknownLoss++;
      }
      this.pos = data;
      this.pageEnd = Math.min(data + used, this.pageStart + pageSize, this.bytes.length);
      if (used > 0) return true;
    }
  }

  /** Moves to the next data event within the loaded batch; false when the batch is used up. */
  next(): boolean {
    const view = this.view;
    const le = this.littleEndian;
    for (;;) {
      if (this.pos + 4 > this.pageEnd) {
        if (!this.nextPage()) return false;
        continue;
      }
      const word = view.getUint32(this.pos, le);
      const typeLen = le ? word & 31 : word >>> 27;
      const delta = le ? word >>> 5 : word & DELTA_MASK;
      const body = this.pos + 4;
      switch (typeLen) {
        case TYPE_PADDING:
          if (delta === 0 || body + 4 > this.pageEnd) {
            this.pos = this.pageEnd;
            continue;
          }
          this.timestamp += delta;
          this.pos = body + view.getUint32(body, le);
          continue;
        case TYPE_TIME_EXTEND:
          this.timestamp += delta + view.getUint32(body, le) * 134217728;
          this.pos = body + 4;
          continue;
        case TYPE_TIME_STAMP: {
          const stamp = delta + view.getUint32(body, le) * 134217728;
          this.timestamp = Math.floor(this.timestamp / TS_LOW_BITS) * TS_LOW_BITS + stamp;
          this.pos = body + 4;
          continue;
        }
        case 0: {
          const length = ((view.getUint32(body, le) - 4 + 3) & ~3) >>> 0;
          this.timestamp += delta;
          this.dataStart = body + 4;
          this.dataLength = length;
          this.pos = body + 4 + length;
          if (this.pos > this.pageEnd) {
            this.pos = this.pageEnd;
            continue;
          }
          return true;
        }
        default:
          this.timestamp += delta;
          this.dataStart = body;
          this.dataLength = typeLen * 4;
          this.pos = body + typeLen * 4;
          if (this.pos > this.pageEnd) {
            this.pos = this.pageEnd;
            continue;
          }
          return true;
      }
    }
  }
}

/** One CPU's event iterator over a trace.dat file; see the file overview. */
export class CpuRingBuffer extends RingBufferPages {
  /** No event left. */
  done = false;
  /** Why the data ended early; null when it ended normally. */
  problem: string | null = null;
  private readOffset: number;
  private readonly readEnd: number;
  private chunksLeft = -1;

  constructor(
    private readonly file: BinaryFile,
    readonly range: CpuDataRange,
    page: PageLayout,
    littleEndian: boolean,
    /** Decompressor when the data is chunks of compressed pages; null for plain pages. */
    private readonly inflate: Inflate | null,
  ) {
    super(page, littleEndian);
    this.readOffset = range.offset;
    this.readEnd = range.offset + range.size;
  }

  /** Bytes of this CPU's data read from the file so far. */
  get consumedBytes(): number {
    return this.readOffset - this.range.offset;
  }

  /** Loads the next batch of pages and moves to its first event; sets `done` at the end. */
  async refill(): Promise<void> {
    for (;;) {
      const batch = await this.nextBatch();
      if (batch === null) {
        this.done = true;
        return;
      }
      this.load(batch);
      if (this.next()) return;
    }
  }

  private async nextBatch(): Promise<Uint8Array | null> {
    if (this.inflate === null) {
      const left = this.readEnd - this.readOffset;
      if (left <= 0) return null;
      const pages = Math.max(1, Math.floor(BATCH_BYTES / this.page.pageSize));
      const bytes = await this.file.read(
        this.readOffset,
        Math.min(left, pages * this.page.pageSize),
      );
      this.readOffset += bytes.length;
      if (bytes.length === 0) {
        this.problem = `the file ends at byte ${this.file.size}, inside the data of CPU ${this.range.cpu}`;
        return null;
      }
      if (this.readOffset < this.readEnd && bytes.length % this.page.pageSize !== 0) {
        this.problem = `the file ends at byte ${this.file.size}, inside the data of CPU ${this.range.cpu}`;
        this.readOffset = this.readEnd;
      }
      return bytes;
    }
    if (this.chunksLeft < 0) {
      const head = await this.file.read(this.readOffset, 4);
      if (head.length < 4) return this.cut();
      this.chunksLeft = new ByteReader(head, this.littleEndian).u32();
      this.readOffset += 4;
    }
    if (this.chunksLeft === 0) return null;
    const sizes = await this.file.read(this.readOffset, 8);
    if (sizes.length < 8) return this.cut();
    const reader = new ByteReader(sizes, this.littleEndian);
    const compressed = reader.u32();
    const plain = reader.u32();
    const data = await this.file.read(this.readOffset + 8, compressed);
    if (data.length < compressed) return this.cut();
    this.readOffset += 8 + compressed;
    this.chunksLeft--;
    try {
      return this.inflate(data, plain);
    } catch (error) {
      this.problem = `a compressed chunk of CPU ${this.range.cpu} at byte ${this.readOffset - compressed - 8} is corrupt (${(error as Error).message})`;
      this.chunksLeft = 0;
      return null;
    }
  }

  private cut(): null {
    this.problem = `the file ends at byte ${this.file.size}, inside the compressed data of CPU ${this.range.cpu}`;
    this.chunksLeft = 0;
    return null;
  }
}
