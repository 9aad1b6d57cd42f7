import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE, EventStore } from '../../../main/store';
import { emptyEventInput } from '../../../shared/model';
import { buildStore } from '../../helpers/buildStore';

describe('EventStore', () => {
  it('returns every appended field unchanged in its row', () => {
    const store = buildStore([
      {
        timestampNs: 6875302268000,
        cpu: 1,
        pid: 27196,
        comm: 'kworker/u8:3-fl',
        skbaddr: '0xffff88810adc8100',
        rxSk: '0xffff888100000000',
        protocol: 0x86dd,
        location: 'ip6_pkt_discard+0x11',
        reason: 'IP_INNOROUTES',
        callchain: ['sk_skb_reason_drop+0x90', 'ip6_pkt_discard+0x11'],
        extra: { length: 98 },
      },
    ]);
    expect(store.row(0)).toEqual({
      id: 0,
      timestampNs: 6875302268000,
      cpu: 1,
      pid: 27196,
      comm: 'kworker/u8:3-fl',
      skbaddr: '0xffff88810adc8100',
      rxSk: '0xffff888100000000',
      protocol: 0x86dd,
      protocolName: 'IPv6',
      location: 'ip6_pkt_discard+0x11',
      reason: 'IP_INNOROUTES',
      reasonValue: null,
      reasonSource: 'printed',
      callchain: ['sk_skb_reason_drop+0x90', 'ip6_pkt_discard+0x11'],
      line: 1,
      extra: { length: 98 },
    });
  });

  it('reports unknown fields as null', () => {
    const store = buildStore([{}]);
    const row = store.row(0);
    expect([row.timestampNs, row.cpu, row.pid, row.comm, row.protocol, row.reason]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(row.reasonSource).toBe('none');
  });

  it('interns repeated strings once', () => {
    const store = buildStore(
      Array.from({ length: 1000 }, () => ({ comm: 'python3', location: 'tcp_v4_rcv+0x91' })),
    );
    expect(store.dictionaries.comm.size).toBe(1);
    expect(store.dictionaries.location.size).toBe(1);
  });

  it('keeps values across chunk boundaries', () => {
    const store = new EventStore();
    const event = emptyEventInput();
    for (let i = 0; i < CHUNK_SIZE * 2 + 5; i++) {
      event.timestampNs = i;
      event.cpu = i % 4;
      store.append(event);
    }
    expect(store.length).toBe(CHUNK_SIZE * 2 + 5);
    expect(store.row(CHUNK_SIZE * 2 + 4).timestampNs).toBe(CHUNK_SIZE * 2 + 4);
    expect(store.row(CHUNK_SIZE).cpu).toBe(CHUNK_SIZE % 4);
  });

  it('allocates no chunk for a column that is never set', () => {
    const store = buildStore(Array.from({ length: 100 }, () => ({ reason: 'NO_SOCKET' })));
    expect(store.columns.rxSk.hasData).toBe(false);
    expect(store.columns.callchain.byteLength).toBe(0);
  });

  it('decodes numeric reasons and re-decodes them with another table', () => {
    const store = buildStore([
      { reasonValue: 3 },
      { reasonValue: 2 },
      { reason: 'TCP_RESET', reasonValue: -1 },
    ]);
    expect(store.valuesNeedingDecode()).toEqual([2, 3]);
    store.decodeReasons((value) => (value === 3 ? 'NO_SOCKET' : 'NOT_SPECIFIED'));
    expect([0, 1, 2].map((i) => store.row(i).reason)).toEqual([
      'NO_SOCKET',
      'NOT_SPECIFIED',
      'TCP_RESET',
    ]);
    expect(store.row(0).reasonSource).toBe('decoded');
    store.decodeReasons((value) => `UNKNOWN(${value})`);
    expect(store.row(0).reason).toBe('UNKNOWN(3)');
    expect(store.row(2).reason).toBe('TCP_RESET');
  });

  it('tracks time bounds and whether time is sorted', () => {
    const sorted = buildStore([{ timestampNs: 5 }, { timestampNs: 7 }, {}]);
    expect(sorted.isTimeSorted).toBe(true);
    expect(sorted.timeBounds).toEqual({ firstNs: 5, lastNs: 7 });
    const unsorted = buildStore([{ timestampNs: 9 }, { timestampNs: 3 }]);
    expect(unsorted.isTimeSorted).toBe(false);
    expect(unsorted.timeBounds).toEqual({ firstNs: 3, lastNs: 9 });
  });

  it('evicts whole oldest chunks: ids shift, bounds and counts follow, appends go on', () => {
    const store = new EventStore();
    const event = emptyEventInput();
    const total = CHUNK_SIZE * 2 + 10;
    for (let i = 0; i < total; i++) {
      event.timestampNs = 1000 + i;
      event.reason = i < CHUNK_SIZE ? 'NO_SOCKET' : 'NETFILTER_DROP';
      store.append(event);
    }
    const generation = store.generation;
    expect(store.evictOldestChunks(1)).toBe(CHUNK_SIZE);
    expect(store.length).toBe(CHUNK_SIZE + 10);
    expect(store.generation).not.toBe(generation);
    expect(store.row(0).timestampNs).toBe(1000 + CHUNK_SIZE);
    expect(store.row(0).reason).toBe('NETFILTER_DROP');
    expect(store.timeBounds).toEqual({ firstNs: 1000 + CHUNK_SIZE, lastNs: 1000 + total - 1 });
    expect(store.isFullyTimeSorted).toBe(true);
    expect(store.idRangeOfTime(1000 + CHUNK_SIZE + 5, 1000 + CHUNK_SIZE + 7)).toEqual([5, 7]);
    event.timestampNs = 5_000_000;
    store.append(event);
    expect(store.row(CHUNK_SIZE + 10).timestampNs).toBe(5_000_000);
  });

  it('never evicts the partial last chunk', () => {
    const store = buildStore(Array.from({ length: 100 }, (_, i) => ({ timestampNs: i })));
    expect(store.evictOldestChunks(3)).toBe(0);
    expect(store.length).toBe(100);
  });
});
