import { describe, expect, it } from 'vitest';
import type { FilterError, ParseFilterResult } from '../../../shared/filter';
import { MAX_FILTER_NESTING, parseFilter } from '../../../shared/filter';
import type { FilterExpr } from '../../../shared/model';
import { emptyVocabulary, vocabulary } from './testVocabulary';

function parsed(text: string): FilterExpr | null {
  const result = parseFilter(text, vocabulary);
  if (!result.ok) throw new Error(`expected ${text} to parse:\n${result.error.display}`);
  return result.expr;
}

function failure(text: string, vocab = vocabulary): FilterError {
  const result: ParseFilterResult = parseFilter(text, vocab);
  if (result.ok) throw new Error(`expected ${text} to fail, got ${JSON.stringify(result.expr)}`);
  return result.error;
}

/** Asserts that `text` fails at `position` with a message containing `messagePart`. */
function expectFailureAt(
  text: string,
  position: number,
  messagePart: string,
  expected?: string,
): void {
  const error = failure(text);
  expect(error.position).toBe(position);
  expect(error.message).toContain(messagePart);
  if (expected !== undefined) expect(error.expected).toBe(expected);
}

describe('parseFilter', () => {
  describe('compiles the documented examples', () => {
    it('compiles a reason comparison', () => {
      expect(parsed('reason == NO_SOCKET')).toEqual({
        kind: 'compare',
        field: 'reason',
        op: '==',
        value: 'NO_SOCKET',
      });
    });

    it('compiles a protocol name and a negated reason joined by and', () => {
      expect(parsed('protocol == IPv6 and not reason == NOT_SPECIFIED')).toEqual({
        kind: 'and',
        items: [
          { kind: 'compare', field: 'protocol', op: '==', value: 0x86dd },
          {
            kind: 'not',
            item: { kind: 'compare', field: 'reason', op: '==', value: 'NOT_SPECIFIED' },
          },
        ],
      });
    });

    it('compiles contains and a reason set joined by or', () => {
      expect(
        parsed('location contains "udp" or reason in {NETFILTER_DROP, SOCKET_FILTER}'),
      ).toEqual({
        kind: 'or',
        items: [
          { kind: 'contains', field: 'location', text: 'udp' },
          { kind: 'in', field: 'reason', values: ['NETFILTER_DROP', 'SOCKET_FILTER'] },
        ],
      });
    });

    it('compiles && with a hexadecimal protocol number', () => {
      expect(parsed('cpu == 1 && protocol == 0x0800')).toEqual({
        kind: 'and',
        items: [
          { kind: 'compare', field: 'cpu', op: '==', value: 1 },
          { kind: 'compare', field: 'protocol', op: '==', value: 0x0800 },
        ],
      });
    });

    it('compiles time in seconds to nanoseconds relative to the capture start', () => {
      expect(parsed('time >= 2.5 and time < 3')).toEqual({
        kind: 'and',
        items: [
          { kind: 'compare', field: 'time', op: '>=', value: 2_500_000_000 },
          { kind: 'compare', field: 'time', op: '<', value: 3_000_000_000 },
        ],
      });
    });
  });

  describe('reads the grammar', () => {
    it('returns no expression when the text is empty or blank', () => {
      expect(parseFilter('', vocabulary)).toEqual({ ok: true, expr: null });
      expect(parseFilter(' \t\n ', vocabulary)).toEqual({ ok: true, expr: null });
    });

    it('binds not tighter than and, and and tighter than or', () => {
      expect(parsed('cpu == 1 or not cpu == 2 and pid == 3')).toEqual({
        kind: 'or',
        items: [
          { kind: 'compare', field: 'cpu', op: '==', value: 1 },
          {
            kind: 'and',
            items: [
              { kind: 'not', item: { kind: 'compare', field: 'cpu', op: '==', value: 2 } },
              { kind: 'compare', field: 'pid', op: '==', value: 3 },
            ],
          },
        ],
      });
    });

    it('lets parentheses override precedence and keeps the grouping written', () => {
      expect(parsed('!(cpu == 1 || cpu == 2) && (pid == 3 && pid == 4)')).toEqual({
        kind: 'and',
        items: [
          {
            kind: 'not',
            item: {
              kind: 'or',
              items: [
                { kind: 'compare', field: 'cpu', op: '==', value: 1 },
                { kind: 'compare', field: 'cpu', op: '==', value: 2 },
              ],
            },
          },
          {
            kind: 'and',
            items: [
              { kind: 'compare', field: 'pid', op: '==', value: 3 },
              { kind: 'compare', field: 'pid', op: '==', value: 4 },
            ],
          },
        ],
      });
    });

    it('collects a chain of the same operator into one node', () => {
      expect(parsed('cpu == 1 or cpu == 2 || cpu == 3')).toMatchObject({
        kind: 'or',
        items: [{ value: 1 }, { value: 2 }, { value: 3 }],
      });
    });

    it('accepts keywords and field names in any case', () => {
      expect(parsed('REASON == NO_SOCKET AND Not CPU == 1')).toEqual(
        parsed('reason == NO_SOCKET and not cpu == 1'),
      );
    });

    it('needs no spaces around symbols', () => {
      expect(parsed('cpu==1&&!(pid<=2)')).toEqual(parsed('cpu == 1 && !(pid <= 2)'));
    });

    it('reads every comparison operator', () => {
      for (const op of ['==', '!=', '<', '<=', '>', '>='] as const) {
        expect(parsed(`pid ${op} 7`)).toEqual({ kind: 'compare', field: 'pid', op, value: 7 });
      }
    });

    it('reads a lone field as a presence test', () => {
      expect(parsed('rx_sk and not (skbaddr)')).toEqual({
        kind: 'and',
        items: [
          { kind: 'exists', field: 'rx_sk' },
          { kind: 'not', item: { kind: 'exists', field: 'skbaddr' } },
        ],
      });
    });

    it('reads sets with commas, spaces, a trailing comma, or nothing in them', () => {
      const expected = { kind: 'in', field: 'cpu', values: [1, 2, 3] };
      expect(parsed('cpu in {1, 2, 3}')).toEqual(expected);
      expect(parsed('cpu in {1 2 3}')).toEqual(expected);
      expect(parsed('cpu in {1, 2, 3,}')).toEqual(expected);
      expect(parsed('cpu in {}')).toEqual({ kind: 'in', field: 'cpu', values: [] });
    });

    it('reads not in as the negation of in', () => {
      expect(parsed('cpu not in {1}')).toEqual({
        kind: 'not',
        item: { kind: 'in', field: 'cpu', values: [1] },
      });
    });

    it('resolves the escapes \\" and \\\\ in strings and keeps other backslashes', () => {
      expect(parsed('comm == "a \\"b\\" \\\\ c"')).toMatchObject({ value: 'a "b" \\ c' });
      expect(parsed('location matches "tcp_v\\d+"')).toMatchObject({ pattern: 'tcp_v\\d+' });
    });

    it('reads keywords as text when they are quoted', () => {
      expect(parsed('comm == "and"')).toMatchObject({ value: 'and' });
    });

    it('accepts nesting up to the limit', () => {
      const text = `${'('.repeat(MAX_FILTER_NESTING)}cpu == 1${')'.repeat(MAX_FILTER_NESTING)}`;
      expect(parsed(text)).toEqual({ kind: 'compare', field: 'cpu', op: '==', value: 1 });
    });

    it('reads a long chain of and without recursion', () => {
      const text = Array.from({ length: 5000 }, (_, index) => `cpu == ${index}`).join(' and ');
      const expr = parsed(text);
      expect(expr?.kind === 'and' && expr.items.length).toBe(5000);
    });
  });

  describe('types the values of each field', () => {
    it('reads decimal and hexadecimal numbers, with a sign', () => {
      expect(parsed('pid == 0x10')).toMatchObject({ value: 16 });
      expect(parsed('pid == -1')).toMatchObject({ value: -1 });
      expect(parsed('reason.value >= 0x10001')).toMatchObject({
        field: 'reason.value',
        value: 0x10001,
      });
    });

    it('converts seconds to nanoseconds without float error', () => {
      expect(parsed('time == 1.1')).toMatchObject({ value: 1_100_000_000 });
      expect(parsed('time == 6875.302268123')).toMatchObject({ value: 6_875_302_268_123 });
      expect(parsed('time > -0.5')).toMatchObject({ value: -500_000_000 });
      expect(parsed('time < 1e-3')).toMatchObject({ value: 1_000_000 });
      expect(parsed('time in {0, 1}')).toEqual({
        kind: 'in',
        field: 'time',
        values: [0, 1_000_000_000],
      });
    });

    it('reads protocol names in any case and numbers in decimal or hex', () => {
      expect(parsed('protocol in {IPv4, ipv6, ARP, 802.1q, 2048, 0x86DD}')).toEqual({
        kind: 'in',
        field: 'protocol',
        values: [0x0800, 0x86dd, 0x0806, 0x8100, 0x0800, 0x86dd],
      });
    });

    it('reads digits given to protocol as a number even where a name is all digits', () => {
      // 1588 is the name of ethertype 0x88f7; as a value it means the number 1588.
      expect(parsed('protocol == 1588')).toMatchObject({ value: 1588 });
      expect(parsed('protocol == 802.3')).toMatchObject({ value: 0x0001 });
    });

    it('keeps numbers written for text fields as text', () => {
      expect(parsed('comm == 1234')).toMatchObject({ field: 'comm', value: '1234' });
      expect(parsed('skbaddr == 0xffff8881045a3d00')).toMatchObject({
        field: 'skbaddr',
        value: '0xffff8881045a3d00',
      });
      expect(parsed('rx_sk in {0x1, "two words"}')).toEqual({
        kind: 'in',
        field: 'rx_sk',
        values: ['0x1', 'two words'],
      });
      expect(parsed('location == tcp_v4_rcv+0x1a/0x2b0')).toMatchObject({
        value: 'tcp_v4_rcv+0x1a/0x2b0',
      });
    });

    it('compares text fields in order too', () => {
      expect(parsed('comm < m')).toEqual({ kind: 'compare', field: 'comm', op: '<', value: 'm' });
    });

    it('keeps contains text exactly as written (case-sensitive)', () => {
      expect(parsed('location contains "UDP_rcv"')).toEqual({
        kind: 'contains',
        field: 'location',
        text: 'UDP_rcv',
      });
      expect(parsed('reason contains TCP')).toMatchObject({ field: 'reason', text: 'TCP' });
      expect(parsed('protocol contains IPv')).toMatchObject({ field: 'protocol', text: 'IPv' });
    });

    it('takes regular expression flags from a leading (?flags)', () => {
      expect(parsed('location matches "(?i)^tcp_"')).toEqual({
        kind: 'matches',
        field: 'location',
        pattern: '^tcp_',
        flags: 'i',
      });
      expect(parsed('comm matches "^kworker/"')).toEqual({
        kind: 'matches',
        field: 'comm',
        pattern: '^kworker/',
      });
    });
  });

  describe('normalizes reason names', () => {
    it('accepts names in any case, with or without the SKB_DROP_REASON_ prefix', () => {
      for (const text of [
        'NO_SOCKET',
        'no_socket',
        'SKB_DROP_REASON_NO_SOCKET',
        'skb_drop_reason_No_Socket',
        '"no_socket"',
      ]) {
        expect(parsed(`reason == ${text}`)).toMatchObject({ value: 'NO_SOCKET' });
      }
    });

    it('accepts subsystem reasons written SUBSYS:NAME', () => {
      expect(parsed('reason in {openvswitch:ovs_drop_last_action}')).toEqual({
        kind: 'in',
        field: 'reason',
        values: ['OPENVSWITCH:OVS_DROP_LAST_ACTION'],
      });
    });

    it('resolves a subsystem reason written without its subsystem', () => {
      expect(parsed('reason == rx_drop_u_mic_fail')).toMatchObject({
        value: 'MAC80211_UNUSABLE:RX_DROP_U_MIC_FAIL',
      });
    });

    it('compiles a category to the list of its reasons, canonical and without repeats', () => {
      expect(parsed('reason.category == TCP')).toEqual({
        kind: 'in',
        field: 'reason',
        values: [
          'TCP_CSUM',
          'TCP_FLAGS',
          'TCP_ZEROWINDOW',
          'TCP_OLD_DATA',
          'TCP_OVERWINDOW',
          'TCP_RESET',
          'TCP_INVALID_SYN',
        ],
      });
      expect(parsed('reason.category in {netfilter, socket, netfilter}')).toEqual({
        kind: 'in',
        field: 'reason',
        values: [
          'NETFILTER_DROP',
          'NO_SOCKET',
          'SOCKET_CLOSE',
          'SOCKET_FILTER',
          'SOCKET_RCVBUFF',
          'SOCKET_BACKLOG',
        ],
      });
    });

    it('negates a category for != and not in', () => {
      const negated = {
        kind: 'not',
        item: { kind: 'in', field: 'reason', values: ['NETFILTER_DROP'] },
      };
      expect(parsed('reason.category != netfilter')).toEqual(negated);
      expect(parsed('reason.category not in {netfilter}')).toEqual(negated);
    });

    it('accepts any reason name when the vocabulary lists none', () => {
      expect(parseFilter('reason == skb_drop_reason_brand_new', emptyVocabulary)).toEqual({
        ok: true,
        expr: { kind: 'compare', field: 'reason', op: '==', value: 'BRAND_NEW' },
      });
    });
  });

  describe('reports errors with a position and what was expected', () => {
    it('points at the end when a value is missing after an operator', () => {
      expect(failure('reason ==')).toMatchObject({
        position: 9,
        expected: 'a value',
        message: "expected a value after '=='",
      });
    });

    it('draws the caret under the position, then the message', () => {
      expect(failure('cpu == one').display).toBe(
        "cpu == one\n       ^\ncpu takes a number, found 'one'",
      );
    });

    it('shows only the line holding the position in text over several lines', () => {
      expect(failure('cpu == 1\n\tand pid == x').display).toBe(
        "\tand pid == x\n\t           ^\npid takes a number, found 'x'",
      );
    });

    it('names an unknown field and suggests the nearest one', () => {
      expect(failure('cpu == 1 and reasn == NO_SOCKET')).toMatchObject({
        position: 13,
        expected: 'a field name',
        message: "unknown field 'reasn' — did you mean reason?",
      });
      expect(failure('proto == 1').message).toContain('did you mean protocol?');
      expect(failure('bogus == 1').message).toContain('fields are time, cpu, pid');
    });

    it('suggests a comparison when a reason or protocol name is written alone', () => {
      expect(failure('no_socket').message).toContain('did you mean reason == NO_SOCKET?');
      expect(failure('ipv6').message).toContain('did you mean protocol == IPv6?');
    });

    it('suggests the three nearest reason names for an unknown one', () => {
      const error = failure('reason in {NO_SOCKET, tcp_zerowindw}');
      expect(error.position).toBe(22);
      expect(error.expected).toBe('a known reason name');
      expect(error.message).toMatch(
        /^unknown reason 'tcp_zerowindw' — did you mean TCP_ZEROWINDOW, [A-Z_]+, [A-Z_]+\?$/,
      );
    });

    it('ranks suggestions by edit distance', () => {
      expect(failure('reason == SOCKET_FILTR').message).toContain(
        'did you mean SOCKET_FILTER, SOCKET_CLOSE,',
      );
    });

    it('points at the opening parenthesis that is never closed', () => {
      expectFailureAt('cpu == 1 and ((pid == 2) or pid == 3', 13, "unclosed '('", "')'");
    });

    it('points at a closing parenthesis with nothing to close', () => {
      expectFailureAt('cpu == 1)', 8, "unexpected ')'");
    });

    it('points at the opening quote of an unterminated string', () => {
      expectFailureAt('comm == "abc\\"', 8, 'unterminated string', `a closing '"'`);
    });

    it('rejects a word where a number is needed, at the word', () => {
      expect(failure('cpu == 1 or cpu == zero')).toMatchObject({
        position: 19,
        expected: 'a number',
      });
      expect(failure('pid in {1, two}')).toMatchObject({ position: 11, expected: 'a number' });
      expect(failure('time > soon').message).toContain('time takes seconds');
      expect(failure('protocol == 2048.5').message).toContain('protocol takes a whole number');
    });

    it('suggests protocol names for an unknown protocol', () => {
      expect(failure('protocol == ipv5').message).toBe(
        "unknown protocol 'ipv5' — did you mean IPv4, IPv6, IPX?",
      );
    });

    it('sends numbers given to reason to reason.value', () => {
      expect(failure('reason == 2').message).toContain('compare numbers with reason.value');
    });

    it('rejects ordering and text operators where they have no meaning', () => {
      expectFailureAt('reason < NO_SOCKET', 7, 'no order');
      expectFailureAt('cpu contains 1', 4, "'contains' applies to text fields");
      expect(failure('time matches "1"').message).toContain('time is a number of seconds');
      expect(failure('reason.category < tcp').message).toContain(
        'reason.category takes ==, != or in',
      );
      expect(failure('reason.category').message).toContain('needs a comparison');
    });

    it('rejects an unknown category, or any category when the vocabulary has none', () => {
      expect(failure('reason.category == udp')).toMatchObject({
        position: 19,
        message: "unknown reason category 'udp'",
      });
      expect(failure('reason.category == tcp', emptyVocabulary)).toMatchObject({ position: 0 });
    });

    it('rejects an invalid regular expression at its string', () => {
      expectFailureAt(
        'location matches "tcp_(v4"',
        17,
        'invalid regular expression: ',
        'a valid regular expression',
      );
      expect(failure('location matches "(?g)x"').message).toContain(
        "unsupported regular expression flag 'g'",
      );
    });

    it('rejects the file field with an explanation', () => {
      expectFailureAt('file == perf.data', 0, "the field 'file' is not available");
    });

    it('explains single =, & and | and single quotes', () => {
      expectFailureAt('cpu = 1', 4, "'=='");
      expect(failure('cpu == 1 & pid == 2').message).toContain("'&&'");
      expect(failure('cpu == 1 | pid == 2').message).toContain("'||'");
      expect(failure("comm == 'x'").message).toContain('double quotes');
    });

    it('names invisible characters by code point', () => {
      expect(failure('cpu == 1\u200b').message).toBe('unexpected character U+200B');
    });

    it('reports the first problem in the text, lexical or not', () => {
      expect(failure('cpu == x and @').position).toBe(7);
      expect(failure('cpu == 1 and @ == x').position).toBe(13);
    });

    it('asks for an operator after a field and suggests a near one', () => {
      expectFailureAt('reason NO_SOCKET', 7, "expected an operator after 'reason'");
      expect(failure('location contain "udp"').message).toContain("did you mean 'contains'?");
      expect(failure('cpu eq 1').message).toContain("did you mean '=='?");
    });

    it('asks for an operand after and, or and not', () => {
      expect(failure('cpu == 1 and')).toMatchObject({
        position: 12,
        message: "expected a field name or '(' after 'and'",
      });
      expect(failure('not')).toMatchObject({
        position: 3,
        message: "expected a field name or '(' after 'not'",
      });
      expect(failure('or cpu == 1')).toMatchObject({ position: 0 });
      expect(failure('()').message).toContain('the parentheses are empty');
    });

    it('asks for quotes when a keyword is used as a value', () => {
      expectFailureAt('comm == or', 8, 'write "or" in quotes');
    });

    it('hints at quoting when a value seems to hold a space', () => {
      expect(failure('comm == kworker 0').message).toContain(
        'put values that contain spaces in double quotes',
      );
    });

    it('rejects malformed sets', () => {
      expect(failure('cpu in 1')).toMatchObject({ position: 7, expected: "'{'" });
      expectFailureAt('cpu in {1, 2', 7, "unclosed '{'");
      expect(failure('cpu in {1,, 2}')).toMatchObject({ position: 10, expected: 'a value' });
      expect(failure('cpu in {1 (}')).toMatchObject({ position: 10, expected: "',' or '}'" });
    });

    it('stops at the nesting limit instead of overflowing the stack', () => {
      const deep = `${'('.repeat(100_000)}cpu == 1${')'.repeat(100_000)}`;
      expectFailureAt(deep, MAX_FILTER_NESTING, 'nested too deeply');
      expect(failure('!'.repeat(100_000)).position).toBe(MAX_FILTER_NESTING);
      expect(failure(`${'not '.repeat(MAX_FILTER_NESTING + 1)}cpu == 1`).position).toBe(
        4 * MAX_FILTER_NESTING,
      );
      expect(parseFilter(`${'not '.repeat(MAX_FILTER_NESTING)}cpu == 1`, vocabulary).ok).toBe(true);
    });
  });
});
