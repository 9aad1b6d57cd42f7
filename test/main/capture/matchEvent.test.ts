import { describe, expect, it } from 'vitest';
import { compileEventMatcher } from '../../../main/capture';
import { filterVocabulary } from '../../../main/engine';
import { parseFilter } from '../../../shared/filter';
import { emptyEventInput, type EventInput } from '../../../shared/model';

function matches(text: string, event: Partial<EventInput>, originNs = 0): boolean {
  const parsed = parseFilter(text, filterVocabulary());
  if (!parsed.ok || !parsed.expr) throw new Error(`bad filter ${text}`);
  return compileEventMatcher(parsed.expr)({ ...emptyEventInput(), ...event }, originNs);
}

describe('compileEventMatcher', () => {
  const udp: Partial<EventInput> = {
    reason: 'NO_SOCKET',
    reasonValue: 3,
    protocol: 0x0800,
    location: '__udp4_lib_rcv+0x4bc',
    comm: 'python3',
    cpu: 1,
    pid: 42,
    timestampNs: 5_000_000_000,
  };

  it('tests names, numbers and text like the store does', () => {
    expect(matches('reason == NO_SOCKET and protocol == IPv4', udp)).toBe(true);
    expect(matches('location contains "udp"', udp)).toBe(true);
    expect(matches('location matches "^__udp[46]"', udp)).toBe(true);
    expect(matches('comm in {sshd, python3}', udp)).toBe(true);
    expect(matches('cpu == 1 && pid > 40', udp)).toBe(true);
    expect(matches('protocol contains "IPv"', udp)).toBe(true);
    expect(matches('reason.value == 3', udp)).toBe(true);
    expect(matches('not reason == NO_SOCKET', udp)).toBe(false);
  });

  it('measures time from the first captured event', () => {
    expect(matches('time >= 2.5 and time < 3', udp, 2_400_000_000)).toBe(true);
    expect(matches('time >= 2.5', udp, 4_000_000_000)).toBe(false);
  });

  it('matches unknown values only with !=', () => {
    expect(matches('comm == python3', {})).toBe(false);
    expect(matches('comm != python3', {})).toBe(true);
    expect(matches('cpu != 1', {})).toBe(true);
    expect(matches('cpu == 1', {})).toBe(false);
    expect(matches('rx_sk', {})).toBe(false);
  });

  it('names a reason number without a name UNKNOWN(n)', () => {
    expect(matches('reason contains "UNKNOWN"', { reasonValue: 0x10003 })).toBe(true);
  });
});
