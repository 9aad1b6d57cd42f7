import { describe, expect, it } from 'vitest';
import { splitFilter, compileEventMatcher } from '../../../main/capture';
import { filterVocabulary } from '../../../main/engine';
import { parseFilter } from '../../../shared/filter';
import { formatFilter } from '../../../shared/filter';
import { emptyEventInput, type EventInput, type FilterExpr } from '../../../shared/model';

/** The running kernel's numbers for a few reasons (as in the 6.18 format file). */
const NUMBERS = new Map([
  ['NOT_SPECIFIED', 2],
  ['NO_SOCKET', 3],
  ['NETFILTER_DROP', 12],
]);
const numberOf = (name: string): number | null => NUMBERS.get(name) ?? null;

function expr(text: string): FilterExpr {
  const parsed = parseFilter(text, filterVocabulary());
  if (!parsed.ok) throw new Error(parsed.error.display);
  if (!parsed.expr) throw new Error('empty filter');
  return parsed.expr;
}

function split(text: string, dialect: 'ftrace' | 'bpftrace' = 'ftrace') {
  return splitFilter(expr(text), dialect, numberOf, 'tracefs event filter');
}

describe('splitFilter', () => {
  it('pushes reason != NOT_SPECIFIED and protocol == 0x0800 wholly into the kernel', () => {
    const placement = split('reason != NOT_SPECIFIED and protocol == 0x0800');
    expect(placement.kernelText).toBe('reason != 2 && protocol == 0x0800');
    expect(placement.user).toBeNull();
    expect(placement.kernel).not.toBeNull();
  });

  it('keeps location contains "udp" in user space', () => {
    const placement = split('location contains "udp"');
    expect(placement.kernelText).toBeNull();
    expect(placement.kernel).toBeNull();
    expect(formatFilter(placement.user!)).toBe('location contains "udp"');
  });

  it('keeps a whole or in user space when one branch cannot run in the kernel', () => {
    const placement = split('reason == NO_SOCKET or location contains "udp"');
    expect(placement.kernelText).toBeNull();
    expect(placement.user?.kind).toBe('or');
  });

  it('splits an and item by item: kernel items to the kernel, the rest to user space', () => {
    const placement = split('reason == NO_SOCKET and location contains "udp" and protocol == IPv4');
    expect(placement.kernelText).toBe('reason == 3 && protocol == 0x0800');
    expect(formatFilter(placement.user!)).toBe('location contains "udp"');
  });

  it('pushes an or whose branches all run in the kernel, in parentheses', () => {
    const placement = split('(reason == NO_SOCKET or reason == NETFILTER_DROP) and cpu == 1');
    expect(placement.kernelText).toBe('(reason == 3 || reason == 12) && CPU == 1');
    expect(placement.user).toBeNull();
  });

  it('renders not, sets and negated sets for the kernel', () => {
    expect(split('not reason == NOT_SPECIFIED').kernelText).toBe('!(reason == 2)');
    expect(split('! (protocol == IPv6 || protocol == ARP)').kernelText).toBe(
      '!(protocol == 0x86dd || protocol == 0x0806)',
    );
    expect(split('reason in {NO_SOCKET, NETFILTER_DROP}').kernelText).toBe(
      '(reason == 3 || reason == 12)',
    );
    expect(split('reason not in {NO_SOCKET}').kernelText).toBe('!(reason == 3)');
    expect(split('pid == 42 && reason.value >= 3').kernelText).toBe(
      'common_pid == 42 && reason >= 3',
    );
  });

  it('keeps a not over a user-space test in user space', () => {
    const placement = split('not (reason == NO_SOCKET and comm == sshd)');
    expect(placement.kernelText).toBeNull();
    expect(placement.user?.kind).toBe('not');
  });

  it('keeps a reason the running kernel does not number in user space', () => {
    const placement = split('reason == TCP_FLAGS and protocol == IPv4');
    expect(placement.kernelText).toBe('protocol == 0x0800');
    expect(formatFilter(placement.user!)).toBe('reason == TCP_FLAGS');
  });

  it('keeps time, text fields and field-exists tests in user space', () => {
    for (const text of [
      'time >= 2.5',
      'comm == sshd',
      'skbaddr == 0xffff',
      'rx_sk',
      'location matches "^tcp"',
    ]) {
      expect(split(text).kernelText, text).toBeNull();
    }
  });

  it('renders the bpftrace predicate dialect', () => {
    const placement = split(
      'reason != NOT_SPECIFIED and protocol == IPv4 and cpu != 0 and pid == 7',
      'bpftrace',
    );
    expect(placement.kernelText).toBe(
      'args->reason != 2 && args->protocol == 0x0800 && cpu != 0 && tid == 7',
    );
  });

  it('returns an empty placement for no filter', () => {
    expect(splitFilter(null, 'ftrace', numberOf, 'x')).toEqual({
      kernelText: null,
      kernel: null,
      user: null,
      kernelWhere: 'x',
    });
  });

  it('splits exactly: kernel part and user part together select what the filter selects', () => {
    const events: EventInput[] = [];
    const reasons = [
      ['NOT_SPECIFIED', 2],
      ['NO_SOCKET', 3],
      ['NETFILTER_DROP', 12],
    ] as const;
    for (const [reason, value] of reasons) {
      for (const protocol of [0x0800, 0x86dd]) {
        for (const location of ['__udp4_lib_rcv+0x4bc', 'tcp_v4_rcv+0x10']) {
          for (const cpu of [0, 1]) {
            events.push({
              ...emptyEventInput(),
              reason,
              reasonValue: value,
              protocol,
              location,
              cpu,
              pid: 7,
              timestampNs: 1e9,
            });
          }
        }
      }
    }
    const filters = [
      'reason != NOT_SPECIFIED and protocol == 0x0800',
      'reason == NO_SOCKET and location contains "udp"',
      '(reason == NO_SOCKET or protocol == IPv6) and not location contains "tcp" and cpu == 1',
      'reason == NO_SOCKET or location contains "udp"',
      'not (reason in {NO_SOCKET, NETFILTER_DROP} and protocol != IPv4)',
    ];
    for (const text of filters) {
      const whole = compileEventMatcher(expr(text));
      const placement = split(text);
      const kernel = placement.kernel ? compileEventMatcher(placement.kernel) : () => true;
      const user = placement.user ? compileEventMatcher(placement.user) : () => true;
      for (const event of events) {
        expect(kernel(event, 0) && user(event, 0), `${text} on ${JSON.stringify(event)}`).toBe(
          whole(event, 0),
        );
      }
    }
  });
});
