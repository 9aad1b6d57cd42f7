import { describe, expect, it } from 'vitest';
import { MAX_BATCH_EVENTS, MAX_BATCH_MS, compileEventMatcher } from '../../../main/capture';
import { CaptureSink } from '../../../main/capture/CaptureSink';
import { emptyEventInput, type EventInput } from '../../../shared/model';

function drop(patch: Partial<EventInput>): EventInput {
  return { ...emptyEventInput(), timestampNs: 1e9, ...patch };
}

describe('CaptureSink', () => {
  it('hands events over in batches of at most MAX_BATCH_EVENTS, never one call per event', () => {
    const batches: number[] = [];
    const sink = new CaptureSink({
      onBatch: (events) => batches.push(events.length),
      now: () => 0,
    });
    const scratch = drop({ reason: 'NO_SOCKET' });
    for (let i = 0; i < MAX_BATCH_EVENTS * 2 + 10; i++) sink.event(scratch);
    sink.close();
    expect(batches).toEqual([MAX_BATCH_EVENTS, MAX_BATCH_EVENTS, 10]);
  });

  it('hands a batch over once it is MAX_BATCH_MS old', () => {
    let now = 1000;
    const batches: number[] = [];
    const sink = new CaptureSink({
      onBatch: (events) => batches.push(events.length),
      now: () => now,
    });
    sink.event(drop({}));
    sink.event(drop({}));
    now += MAX_BATCH_MS - 1;
    sink.flushDue();
    expect(batches).toEqual([]);
    now += 1;
    sink.flushDue();
    expect(batches).toEqual([2]);
  });

  it('copies each event, so the parser may reuse its object', () => {
    const received: EventInput[] = [];
    const sink = new CaptureSink({ onBatch: (events) => received.push(...events) });
    const scratch = drop({ reason: 'NO_SOCKET' });
    sink.event(scratch);
    scratch.reason = 'NETFILTER_DROP';
    sink.event(scratch);
    sink.close();
    expect(received.map((e) => e.reason)).toEqual(['NO_SOCKET', 'NETFILTER_DROP']);
  });

  it('decodes numbers and fills numbers of printed names with the running kernel numbering', () => {
    const received: EventInput[] = [];
    const sink = new CaptureSink({
      onBatch: (events) => received.push(...events),
      reasonNames: new Map([
        [3, 'NO_SOCKET'],
        [12, 'NETFILTER_DROP'],
      ]),
    });
    sink.event(drop({ reasonValue: 3 }));
    sink.event(drop({ reason: 'NETFILTER_DROP' }));
    sink.event(drop({ reasonValue: 0x10003 }));
    sink.close();
    expect(received.map((e) => [e.reason, e.reasonValue])).toEqual([
      ['NO_SOCKET', 3],
      ['NETFILTER_DROP', 12],
      [null, 0x10003],
    ]);
    expect(sink.reasonCounts()).toEqual({ NETFILTER_DROP: 1, NO_SOCKET: 1, 'UNKNOWN(65539)': 1 });
  });

  it('applies the user-space filter and counts what it rejected', () => {
    const received: EventInput[] = [];
    const sink = new CaptureSink({
      onBatch: (events) => received.push(...events),
      matcher: compileEventMatcher({ kind: 'contains', field: 'location', text: 'udp' }),
    });
    sink.event(drop({ location: '__udp4_lib_rcv+0x4bc', reason: 'NO_SOCKET' }));
    sink.event(drop({ location: 'tcp_v4_rcv+0x10', reason: 'NO_SOCKET' }));
    sink.close();
    expect(received).toHaveLength(1);
    expect(sink.events).toBe(1);
    expect(sink.filteredOut).toBe(1);
  });

  it('symbolizes raw locations once per address', () => {
    let calls = 0;
    const received: EventInput[] = [];
    const sink = new CaptureSink({
      onBatch: (events) => received.push(...events),
      symbolize: () => {
        calls++;
        return '__udp4_lib_rcv+0x4bc';
      },
    });
    sink.event(drop({ location: '0xffffffff820a7f2c' }));
    sink.event(drop({ location: '0xffffffff820a7f2c' }));
    sink.close();
    expect(received.map((e) => e.location)).toEqual([
      '__udp4_lib_rcv+0x4bc',
      '__udp4_lib_rcv+0x4bc',
    ]);
    expect(calls).toBe(1);
  });

  it('ignores events after close', () => {
    const received: EventInput[] = [];
    const sink = new CaptureSink({ onBatch: (events) => received.push(...events) });
    sink.close();
    sink.event(drop({}));
    sink.flush();
    expect(received).toEqual([]);
  });
});
