import { describe, expect, it } from 'vitest';
import {
  captureNormalizedSource,
  dropRowOf,
  formatCaptureLine,
  normalizedJsonLine,
  perfScriptHeader,
  perfScriptLine,
  perfScriptLostLine,
  type CaptureSession,
  type CaptureSummary,
} from '../../../main/capture';
import { formatDefinition } from '../../../main/ingest';
import { normalizedRecord } from '../../../main/engine';
import { emptyEventInput, type EventInput } from '../../../shared/model';
import { collectParse } from '../../helpers/collectParse';

const event: EventInput = {
  ...emptyEventInput(),
  timestampNs: 2109_438176_000,
  cpu: 1,
  pid: 1847,
  comm: 'Web Content',
  skbaddr: '0000000065a8afb0',
  protocol: 0x0800,
  location: '__udp4_lib_rcv+0x4bc',
  reason: 'NO_SOCKET',
  reasonValue: 3,
  line: 7,
};

const session: Pick<CaptureSession, 'backend' | 'filter' | 'source' | 'warnings'> = {
  backend: 'tracefs',
  filter: {
    kernelText: 'reason == 3',
    kernel: null,
    user: null,
    kernelWhere: 'tracefs event filter',
  },
  source: {
    format: 'ftrace',
    command: 'tracefs instance /sys/kernel/tracing/instances/dropscope-1-ab',
    reasonNames: 'printed',
    reasonTable: 'format file x',
    clock: 'mono',
    hasReason: true,
    hasRxSk: true,
  },
  warnings: [],
};
const run = {
  cmdline: 'dropscope capture -o x',
  kernelRelease: '6.18.44',
  filterText: 'reason == NO_SOCKET',
};

describe('what a capture writes', () => {
  it('turns an event into a normalized record with where its reason came from', () => {
    const record = normalizedRecord(dropRowOf(event, 'printed'));
    expect(record).toMatchObject({
      time_ns: 2109438176000,
      protocol_name: 'IPv4',
      reason: 'NO_SOCKET',
      reason_value: 3,
      reason_source: 'printed',
      rx_sk: null,
    });
    expect(
      normalizedRecord(dropRowOf({ ...event, reason: null, reasonValue: 0x10003 }, 'decoded'))
        .reason_source,
    ).toBe('none');
  });

  it('writes JSON lines exactly as the normalized exporter would', () => {
    const variants: EventInput[] = [
      event,
      {
        ...event,
        reason: null,
        reasonValue: 0x10003,
        comm: 'a "quoted" \\ comm\t',
        rxSk: '00000000ffff0000',
      },
      { ...emptyEventInput() },
      {
        ...event,
        callchain: ['ip6_pkt_discard+0x11', 'ip6_rcv_finish+0x5a'],
        extra: { module: 'nf_tables', locationAddr: '0xffff' },
      },
      { ...event, protocol: 0x22f0, timestampNs: Number.NaN, cpu: -1, pid: -1 },
    ];
    for (const variant of variants) {
      for (const names of ['printed', 'decoded'] as const) {
        expect(normalizedJsonLine(variant, names)).toBe(
          `${JSON.stringify(normalizedRecord(dropRowOf(variant, names)))}\n`,
        );
      }
    }
  });

  it('writes perf script text that the perf-script parser reads back, header and lost events included', () => {
    const source = captureNormalizedSource(session, run, null);
    const text =
      perfScriptHeader(source) +
      perfScriptLine(event, true) +
      perfScriptLine({ ...event, reason: null, reasonValue: 12, comm: null, pid: 0 }, true) +
      perfScriptLostLine(5, event.timestampNs);
    const parsed = collectParse(formatDefinition('perf-script'), text);
    expect(parsed.skipped).toEqual([]);
    expect(parsed.events).toHaveLength(2);
    expect(parsed.events[0]).toMatchObject({
      comm: 'Web Content',
      pid: 1847,
      cpu: 1,
      timestampNs: 2109438176000,
      reason: 'NO_SOCKET',
      location: '__udp4_lib_rcv+0x4bc',
      protocol: 2048,
    });
    expect(parsed.events[1]).toMatchObject({ reason: null, reasonValue: 12, comm: null });
    expect(parsed.meta).toMatchObject({
      osRelease: '6.18.44',
      cmdline: 'dropscope capture -o x',
      lost: 5,
    });
  });

  it('records the capture in the header: lost unknown at first, final counts at the end', () => {
    const first = captureNormalizedSource(session, run, null);
    expect(first).toMatchObject({
      file: 'live capture (tracefs)',
      format: 'ftrace',
      filter: 'reason == NO_SOCKET',
      kernel: { release: '6.18.44', source: 'none' },
    });
    expect(first.meta).toMatchObject({
      lost: null,
      captureBackend: 'tracefs',
      kernelFilter: 'reason == 3',
      userFilter: null,
    });
    const summary = {
      backend: 'tracefs',
      elapsedMs: 5000,
      events: 1,
      filteredOut: 0,
      reasons: { NO_SOCKET: 1 },
      lost: { total: 3, parts: { overrun: 3 } },
      skippedLines: 0,
      startedAt: '2026-01-01T00:00:00.000Z',
      stoppedAt: '2026-01-01T00:00:05.000Z',
      endedBy: 'stop',
      error: null,
      filter: session.filter,
      source: session.source,
      skipped: { lines: 0, examples: [] },
      warnings: [],
      meta: {},
    } satisfies CaptureSummary;
    const last = captureNormalizedSource(session, run, summary);
    expect(last.meta).toMatchObject({ lost: 3, 'lost overrun': 3, captureEvents: 1 });
  });

  it('prints a compact live line with the top reasons and the rate', () => {
    const stats = {
      backend: 'tracefs' as const,
      elapsedMs: 2000,
      events: 300,
      filteredOut: 0,
      reasons: { NO_SOCKET: 200, NETFILTER_DROP: 100 },
      lost: { total: 0, parts: {} },
      skippedLines: 0,
    };
    expect(formatCaptureLine(stats, { ...stats, elapsedMs: 1000, events: 100 })).toBe(
      '2.0s 300 drops 200/s | NO_SOCKET 200 NETFILTER_DROP 100 | lost 0',
    );
  });
});
