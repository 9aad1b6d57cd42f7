import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE, EventBatch, EventStore } from '../../../main/store';
import { emptyEventInput, type EventInput } from '../../../shared/model';
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

  it('appends batches exactly as one append per event, across chunks', () => {
    const events: EventInput[] = Array.from({ length: CHUNK_SIZE + 300 }, (_, i) => ({
      ...emptyEventInput(),
      timestampNs: i % 1000 === 7 ? Number.NaN : 1_000_000 + i - (i % 5000 === 3 ? 50 : 0),
      cpu: i % 3,
      pid: 100 + (i % 7),
      comm: `comm-${i % 7}`,
      skbaddr: `0xffff8881${(i % 311).toString(16).padStart(8, '0')}`,
      rxSk: i % 97 === 0 ? `0xffff8882${i.toString(16).padStart(8, '0')}` : null,
      protocol: i % 2 === 0 ? 0x800 : 0x86dd,
      location: `loc+0x${(i % 13).toString(16)}`,
      reason: i % 11 === 0 ? 'NO_SOCKET' : null,
      reasonValue: i % 11 === 0 ? -1 : i % 5,
      callchain: i % 501 === 0 ? ['a+0x1', 'b+0x2'] : null,
      line: i + 1,
      extra: i % 777 === 0 ? { period: i } : null,
    }));
    const one = new EventStore();
    for (const event of events) one.append(event);
    const batched = new EventStore();
    const d = batched.dictionaries;
    const id = (dictionary: typeof d.comm, value: string | null): number =>
      value === null ? -1 : dictionary.intern(value);
    const batch = new EventBatch(4000);
    const flush = (): void => {
      batched.appendBatch(batch);
      batch.length = 0;
    };
    for (const e of events) {
      const n = batch.length++;
      batch.timeNs[n] = e.timestampNs;
      batch.cpu[n] = e.cpu;
      batch.pid[n] = e.pid;
      batch.comm[n] = id(d.comm, e.comm);
      batch.skbaddr[n] = id(d.skbaddr, e.skbaddr);
      batch.rxSk[n] = id(d.rxSk, e.rxSk);
      batch.protocol[n] = e.protocol;
      batch.location[n] = id(d.location, e.location);
      batch.reasonPrinted[n] = id(d.reason, e.reason);
      batch.reasonValue[n] = e.reasonValue;
      batch.callchain[n] = id(d.callchain, e.callchain?.join('\n') ?? null);
      batch.line[n] = e.line;
      batch.extra[n] = id(d.extra, e.extra === null ? null : JSON.stringify(e.extra));
      if (batch.isFull) flush();
    }
    flush();
    const rows = (store: EventStore) =>
      Array.from({ length: store.length }, (_, i) => store.row(i));
    expect(rows(batched)).toEqual(rows(one));
    expect(batched.timeBounds).toEqual(one.timeBounds);
    expect([batched.isTimeSorted, batched.timedCount]).toEqual([one.isTimeSorted, one.timedCount]);
    expect(batched.valuesNeedingDecode()).toEqual(one.valuesNeedingDecode());
    for (const store of [one, batched]) store.decodeReasons((value) => `R${value}`);
    expect(rows(batched)).toEqual(rows(one));
    expect(batched.columnBytes).toBe(one.columnBytes);
  });

  it('leaves a column unallocated when a batch or a column source holds only empty values', () => {
    const store = new EventStore();
    const batch = new EventBatch(10);
    batch.length = 10;
    batch.timeNs.fill(5);
    batch.rxSk.fill(-1);
    batch.reasonPrinted.fill(-1);
    batch.callchain.fill(-1);
    batch.extra.fill(-1);
    store.appendBatch(batch);
    store.appendColumns(
      { ...batch, rxSk: null, reasonPrinted: null, callchain: null, extra: null },
      2,
      6,
    );
    expect(store.length).toBe(14);
    for (const column of [store.columns.rxSk, store.columns.reason, store.columns.callchain])
      expect(column.hasData).toBe(false);
    expect(store.row(13).rxSk).toBeNull();
    expect(store.row(13).timestampNs).toBe(5);
  });

  it('renames locations and callchains, merging the ids of strings that become equal', () => {
    const store = new EventStore();
    const locations = ['0xa', '0xb', '0xc', '0xa', null];
    for (let i = 0; i < CHUNK_SIZE + 5; i++) {
      const location = locations[i % locations.length] ?? null;
      store.append({
        ...emptyEventInput(),
        timestampNs: i,
        location,
        callchain: location === null ? null : [location, '0xc'],
      });
    }
    const before = store.generation;
    // 0xa and 0xc both become `twin+0x1` (two static functions of one name).
    const names: Record<string, string> = { '0xa': 'twin+0x1', '0xc': 'twin+0x1' };
    store.renameStrings('location', (value) => names[value] ?? value);
    store.renameStrings('callchain', (chain) =>
      chain
        .split('\n')
        .map((frame) => names[frame] ?? frame)
        .join('\n'),
    );
    expect(store.dictionaries.location.all()).toEqual(['twin+0x1', '0xb']);
    expect(store.dictionaries.callchain.all()).toEqual(['twin+0x1\ntwin+0x1', '0xb\ntwin+0x1']);
    // Events past the first chunk, as in the first: renamed, merged, null kept.
    const expected = ['twin+0x1', '0xb', 'twin+0x1', 'twin+0x1', null];
    for (let i = CHUNK_SIZE - 2; i < CHUNK_SIZE + 5; i++) {
      expect(store.row(i).location).toBe(expected[i % 5]);
      const chain = expected[i % 5];
      expect(store.row(i).callchain).toEqual(chain === null ? null : [chain, 'twin+0x1']);
    }
    const firstA = locations.indexOf('0xa');
    const firstC = locations.indexOf('0xc');
    expect(store.columns.location.get(firstC)).toBe(store.columns.location.get(firstA));
    expect(store.generation).toBeGreaterThan(before);
  });
});
