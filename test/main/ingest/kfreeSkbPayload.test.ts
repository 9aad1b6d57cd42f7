import { describe, expect, it } from 'vitest';
import {
  HeldEvent,
  KfreeSkbPayloadReader,
  PAYLOAD_REASON,
  PAYLOAD_RX_SK,
  isKfreeSkbEventName,
} from '../../../main/ingest/kfreeSkbPayload';
import type { ParseSink } from '../../../main/ingest/TraceParser';
import { emptyEventInput } from '../../../shared/model';
import type { EventInput } from '../../../shared/model';

function read(payload: string): { ok: boolean; why: string; fields: number; event: EventInput } {
  const reader = new KfreeSkbPayloadReader();
  const event = emptyEventInput();
  const ok = reader.read(payload, 0, event);
  return { ok, why: reader.why, fields: reader.fields, event };
}

describe('KfreeSkbPayloadReader', () => {
  it('reads the 6.11+ payload as perf prints it', () => {
    const { ok, fields, event } = read(
      'skbaddr=0xffff88810adc8100 rx_sk=(nil) protocol=34525 location=ip6_pkt_discard+0x11 reason: IP_INNOROUTES',
    );
    expect(ok).toBe(true);
    expect(fields).toBe(PAYLOAD_RX_SK | PAYLOAD_REASON);
    expect(event).toMatchObject({
      skbaddr: '0xffff88810adc8100',
      rxSk: null,
      protocol: 34525,
      location: 'ip6_pkt_discard+0x11',
      reason: 'IP_INNOROUTES',
      reasonValue: -1,
      extra: null,
    });
  });

  it('drops the symbol size and keeps hashed pointers as tracefs prints them', () => {
    const { event } = read(
      'skbaddr=000000008ce2375b rx_sk=0000000000000000 protocol=34525 location=ip6_pkt_discard+0x11/0x20 reason: IP_INNOROUTES',
    );
    expect(event.skbaddr).toBe('000000008ce2375b');
    expect(event.rxSk).toBeNull();
    expect(event.location).toBe('ip6_pkt_discard+0x11');
  });

  it('keeps a socket that is not NULL in rx_sk', () => {
    expect(
      read(
        'skbaddr=0xffff888105352100 rx_sk=0xffff88810c2a8000 protocol=2048 location=tcp_v4_rcv+0x1f reason: TCP_CSUM',
      ).event.rxSk,
    ).toBe('0xffff88810c2a8000');
    expect(
      read(
        'skbaddr=0000000001f032b6 rx_sk=000000006506ff9f protocol=2048 location=tcp_v4_rcv+0x1f/0x1000 reason: TCP_CSUM',
      ).event.rxSk,
    ).toBe('000000006506ff9f');
  });

  it('loads a 5.17–6.10 payload without rx_sk with rx_sk unknown', () => {
    const { ok, fields, event } = read(
      'skbaddr=0xffff8881028c6f00 protocol=34525 location=ip6_mc_input+0x15e reason: NOT_SPECIFIED',
    );
    expect(ok).toBe(true);
    expect(fields).toBe(PAYLOAD_REASON);
    expect(event.rxSk).toBeNull();
    expect(event.reason).toBe('NOT_SPECIFIED');
  });

  it('loads a pre-5.17 payload without a reason with reason unknown', () => {
    const { ok, fields, event } = read(
      'skbaddr=0xffff8881028c6e00 protocol=2048 location=0xffffffff81a3c1e2',
    );
    expect(ok).toBe(true);
    expect(fields).toBe(0);
    expect(event).toMatchObject({ reason: null, reasonValue: -1, location: '0xffffffff81a3c1e2' });
  });

  it('keeps a raw location address as printed', () => {
    expect(
      read('skbaddr=0xffff888100000000 protocol=2048 location=0xffffffff81e42650 reason: NO_SOCKET')
        .event.location,
    ).toBe('0xffffffff81e42650');
  });

  it('reads a reason number the kernel has no name for as the value, in hex or decimal', () => {
    const hex = read(
      'skbaddr=0xffff888100000000 protocol=2048 location=ovs_dp_process_packet+0x1d0 reason: 0x10003',
    ).event;
    expect(hex.reason).toBeNull();
    expect(hex.reasonValue).toBe(0x10003);
    const decimal = read(
      'skbaddr=0xffff888100000000 protocol=2048 location=x+0x1 reason: 65539',
    ).event;
    expect(decimal.reason).toBeNull();
    expect(decimal.reasonValue).toBe(65539);
  });

  it('strips the SKB_DROP_REASON_ prefix from a reason name', () => {
    expect(
      read(
        'skbaddr=0xffff888100000000 protocol=2048 location=x+0x1 reason: SKB_DROP_REASON_NO_SOCKET',
      ).event.reason,
    ).toBe('NO_SOCKET');
  });

  it('moves the module of a module symbol out of the location into extra', () => {
    const { event } = read(
      'skbaddr=00000000a1b2c3d4 rx_sk=0000000000000000 protocol=2048 location=nft_do_chain+0x3c5/0x5a0 [nf_tables] reason: NETFILTER_DROP',
    );
    expect(event.location).toBe('nft_do_chain+0x3c5');
    expect(event.extra).toEqual({ module: 'nf_tables' });
    expect(event.reason).toBe('NETFILTER_DROP');
  });

  it('reads the raw fields perf prints when it cannot parse the format, in any order', () => {
    const { ok, event } = read(
      '[FAILED TO PARSE] skbaddr=0xffff888100000000 location=0xffffffff81e42650 protocol=2048 reason=2',
    );
    expect(ok).toBe(true);
    expect(event).toMatchObject({
      location: '0xffffffff81e42650',
      protocol: 2048,
      reason: null,
      reasonValue: 2,
    });
  });

  it.each([
    [2048, 'IPv4'],
    [34525, 'IPv6'],
    [2054, 'ARP'],
    [12, 'CAN'],
    [0, 'none'],
  ])('reads protocol=%i (%s) as a number', (protocol) => {
    expect(
      read(`skbaddr=0xffff888100000000 protocol=${protocol} location=x+0x1 reason: NOT_SPECIFIED`)
        .event.protocol,
    ).toBe(protocol);
  });

  it('gives the same fields whether the payload is canonical or carries an unknown extra token', () => {
    const canonical = read(
      'skbaddr=0xffff888100000000 rx_sk=(nil) protocol=2048 location=x+0x1/0x10 reason: 0x10003',
    );
    const unusual = read(
      'skbaddr=0xffff888100000000 rx_sk=(nil) protocol=2048 location=x+0x1/0x10 reason: 0x10003 future=1',
    );
    expect(unusual.ok).toBe(true);
    expect(unusual.event).toEqual(canonical.event);
    expect(unusual.fields).toBe(canonical.fields);
  });

  it.each([
    ['protocol=2048 location=x+0x1 reason: NO_SOCKET', 'missing skbaddr='],
    ['skbaddr=0xffff888100000000 location=x+0x1 reason: NO_SOCKET', 'missing protocol='],
    ['skbaddr=0xffff888100000000 protocol=2048 reason: NO_SOCKET', 'missing location='],
    ['skbaddr=0xffff888100000000 protocol=20x8 location=x+0x1', 'bad protocol= value "20x8"'],
    ['skbaddr=0xffff888100000000 protocol=2048 location=x+0x1 reason:', 'empty reason: value'],
    [
      'skbaddr=0xffff888100000000 protocol=2048 location=x+0x1 reason: NO-SOCKET',
      'bad reason: value "NO-SOCKET"',
    ],
    ['skbaddr=0xzzzz protocol=2048 location=x+0x1', 'bad skbaddr= value "0xzzzz"'],
    [
      'skbaddr=0xffff888100000000 rx_sk=nope protocol=2048 location=x+0x1',
      'bad rx_sk= value "nope"',
    ],
    ['skbaddr=0xffff888100000000 protocol=2048 location=/0x20', 'empty location= value'],
  ])('refuses %j because of "%s"', (payload, why) => {
    const result = read(payload);
    expect(result.ok).toBe(false);
    expect(result.why).toBe(why);
  });

  it('resets every payload field of a reused event between lines', () => {
    const reader = new KfreeSkbPayloadReader();
    const event = emptyEventInput();
    reader.read(
      'skbaddr=00000000a1b2c3d4 rx_sk=00000000deadbeef protocol=2048 location=f+0x1/0x2 [tun] reason: 0x10003',
      0,
      event,
    );
    reader.read('skbaddr=0xffff888100000000 protocol=34525 location=g+0x2', 0, event);
    expect(event).toMatchObject({
      rxSk: null,
      reason: null,
      reasonValue: -1,
      extra: null,
      location: 'g+0x2',
    });
  });

  it('recognises the event names perf, tracefs and trace-cmd print', () => {
    expect(isKfreeSkbEventName('skb:kfree_skb')).toBe(true);
    expect(isKfreeSkbEventName('kfree_skb')).toBe(true);
    expect(isKfreeSkbEventName('skb:consume_skb')).toBe(false);
  });
});

describe('HeldEvent', () => {
  function collect(): {
    sink: ParseSink;
    events: EventInput[];
    skipped: { line: number; why: string }[];
  } {
    const events: EventInput[] = [];
    const skipped: { line: number; why: string }[] = [];
    const sink: ParseSink = {
      event: (event) => events.push({ ...event }),
      skip: (line, _text, why) => skipped.push({ line, why }),
      meta: () => undefined,
      aggregate: () => undefined,
      embeddedReasonNames: () => undefined,
      warn: () => undefined,
    };
    return { sink, events, skipped };
  }

  function feed(held: HeldEvent, line: number, fields: number): void {
    held.release();
    held.event.line = line;
    held.hold(`line ${line}`, fields);
  }

  it('skips a last line that lacks the reason every earlier event has', () => {
    const { sink, events, skipped } = collect();
    const held = new HeldEvent(sink);
    feed(held, 1, PAYLOAD_RX_SK | PAYLOAD_REASON);
    feed(held, 2, PAYLOAD_RX_SK | PAYLOAD_REASON);
    feed(held, 3, PAYLOAD_RX_SK);
    held.finish(3);
    expect(events.map((event) => event.line)).toEqual([1, 2]);
    expect(skipped).toEqual([
      { line: 3, why: 'truncated last line: no reason: although every earlier event has one' },
    ]);
  });

  it('loads an event without a reason when it is not the last line or the earlier ones lack it too', () => {
    const first = collect();
    const held = new HeldEvent(first.sink);
    feed(held, 1, PAYLOAD_REASON);
    feed(held, 2, 0);
    held.finish(3);
    expect(first.events).toHaveLength(2);

    const second = collect();
    const old = new HeldEvent(second.sink);
    feed(old, 1, 0);
    feed(old, 2, 0);
    old.finish(2);
    expect(second.events).toHaveLength(2);
    expect(second.skipped).toHaveLength(0);
  });
});
