import { describe, expect, it } from 'vitest';
import { formatFilter, parseFilter } from '../../../shared/filter';
import { vocabulary } from './testVocabulary';
import { seededRandom } from '../../helpers/seededRandom';

const EXAMPLES = [
  'reason == NO_SOCKET',
  'protocol == IPv6 and not reason == NOT_SPECIFIED',
  'location contains "udp" or reason in {NETFILTER_DROP, SOCKET_FILTER}',
  'cpu == 1 && protocol == 0x0800',
  'time >= 2.5 and time < 3',
  '!(reason.category == tcp || comm matches "(?i)^kworker/\\d+") and rx_sk',
  'reason.value in {2, 0x10001} and skbaddr != "0xffff" and pid not in {1 2}',
];

const PIECES = [
  // fields, some misspelt or unusable
  'time',
  'cpu',
  'pid',
  'comm',
  'skbaddr',
  'rx_sk',
  'protocol',
  'location',
  'reason',
  'reason.value',
  'reason.category',
  'file',
  'reasn',
  'REASON',
  'proto',
  // operators, keywords and punctuation
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '=',
  '!',
  '&&',
  '||',
  '&',
  '|',
  '~',
  'and',
  'or',
  'not',
  'in',
  'contains',
  'matches',
  'AND',
  'Not',
  '(',
  ')',
  '{',
  '}',
  ',',
  // values
  'NO_SOCKET',
  'skb_drop_reason_tcp_csum',
  'openvswitch:ovs_drop_last_action',
  'NO_SOKET',
  'tcp',
  'socket',
  'udp',
  'IPv6',
  'ipv5',
  '802.1Q',
  '0x0800',
  '2048',
  '2.5',
  '-1',
  '1e3',
  '1e999',
  '0x',
  '.',
  '+',
  '-',
  'kworker/0:1',
  '"udp"',
  '"a\\"b"',
  '"\\\\"',
  '"(?i)x"',
  '"("',
  '"(?g)x"',
  '"',
  '"unterminated',
  "'x'",
  '""',
  // garbage
  '@',
  '#',
  '$',
  '\u0000',
  '\u200b',
  '😀',
  '\ud800',
  '\n',
  '\t',
  'é',
  '\\',
];

const CHARACTERS = ' ()[]{}<>=!&|,."\\\'_:-+/0123456789abcdefxyzABC\n\t@😀';

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function tokenSoup(random: () => number): string {
  const count = 1 + Math.floor(random() * 12);
  let text = '';
  for (let index = 0; index < count; index++) {
    text += pick(random, PIECES) + (random() < 0.8 ? ' ' : '');
  }
  return text;
}

function mutate(random: () => number, text: string): string {
  let result = text;
  const edits = 1 + Math.floor(random() * 3);
  for (let edit = 0; edit < edits; edit++) {
    const at = Math.floor(random() * (result.length + 1));
    const length = Math.floor(random() * 6);
    switch (Math.floor(random() * 6)) {
      case 0:
        result = result.slice(0, at) + result.slice(at + length);
        break;
      case 1:
        result = result.slice(0, at) + pick(random, [...CHARACTERS]) + result.slice(at);
        break;
      case 2:
        result = `${result.slice(0, at)} ${pick(random, PIECES)} ${result.slice(at)}`;
        break;
      case 3:
        result =
          result.slice(0, at) + result.slice(at, at + length).repeat(2) + result.slice(at + length);
        break;
      case 4:
        result = result.slice(0, at);
        break;
      default: {
        const other = Math.floor(random() * result.length);
        const chars = [...result];
        const a = chars[at];
        const b = chars[other];
        if (a !== undefined && b !== undefined) {
          chars[at] = b;
          chars[other] = a;
        }
        result = chars.join('');
      }
    }
  }
  return result;
}

const VALUES_BY_FIELD: Readonly<Record<string, readonly string[]>> = {
  time: ['2.5', '0', '-1.25', '1e-3', '0x10', '0.000000001', '6875.302268123'],
  cpu: ['0', '1', '0x1f', '-1'],
  pid: ['1', '4242', '+7'],
  'reason.value': ['2', '0x10001', '65'],
  protocol: ['IPv4', 'ipv6', 'ARP', '0x0800', '2048', '802.1Q', '1588'],
  comm: ['kworker/0:1', '"two words"', '1234', '"a\\"b"', '"and"', '""', 'é'],
  location: ['tcp_v4_rcv+0x1a/0x2b0', '"udp"', '0xffffffff81000000'],
  skbaddr: ['0xffff8881045a3d00', '"00000000deadbeef"'],
  rx_sk: ['0x0', '"0xffff"'],
  reason: [
    'NO_SOCKET',
    'no_socket',
    'SKB_DROP_REASON_TCP_CSUM',
    'openvswitch:ovs_drop_last_action',
  ],
};
const ORDERED_OPERATORS = ['==', '!=', '<', '<=', '>', '>='];
const PATTERNS = ['"^tcp_"', '"(?i)udp"', '"(?ms)a.b$"', '"x\\d+"'];

function validComparison(random: () => number): string {
  if (random() < 0.08) {
    const category = pick(random, ['tcp', 'SOCKET', 'netfilter']);
    return pick(random, [
      `reason.category == ${category}`,
      `reason.category != ${category}`,
      `reason.category in {${category}, tcp}`,
    ]);
  }
  const field = pick(random, Object.keys(VALUES_BY_FIELD));
  const values = VALUES_BY_FIELD[field] ?? [];
  const isText = ['comm', 'location', 'skbaddr', 'rx_sk', 'reason', 'protocol'].includes(field);
  const value = (): string => pick(random, values);
  switch (Math.floor(random() * 6)) {
    case 0:
      return field;
    case 1: {
      const set = Array.from({ length: Math.floor(random() * 4) }, value);
      return `${field} ${random() < 0.2 ? 'not in' : 'in'} {${set.join(random() < 0.5 ? ', ' : ' ')}}`;
    }
    case 2:
      return isText ? `${field} contains ${value()}` : `${field} == ${value()}`;
    case 3:
      return isText ? `${field} matches ${pick(random, PATTERNS)}` : `${field} != ${value()}`;
    default: {
      const operators = field === 'reason' ? ['==', '!='] : ORDERED_OPERATORS;
      return `${field} ${pick(random, operators)} ${value()}`;
    }
  }
}

function validFilter(random: () => number, depth = 0): string {
  const roll = random();
  if (depth > 4 || roll < 0.4) return validComparison(random);
  if (roll < 0.55) return `${pick(random, ['not ', '!', 'NOT '])}${validFilter(random, depth + 1)}`;
  if (roll < 0.7) return `(${validFilter(random, depth + 1)})`;
  const joiner = pick(random, [' and ', ' or ', ' && ', ' || ', ' AND ']);
  const count = 2 + Math.floor(random() * 3);
  return Array.from({ length: count }, () => validFilter(random, depth + 1)).join(joiner);
}

describe('parseFilter on random input', () => {
  it('accepts 1000 random well-formed filters and prints each back to the same tree', () => {
    const random = seededRandom(0xf11e);
    const problems: string[] = [];
    for (let round = 0; round < 1000; round++) {
      const text = validFilter(random);
      const result = parseFilter(text, vocabulary);
      if (!result.ok) {
        problems.push(`${JSON.stringify(text)} was rejected:\n${result.error.display}`);
        continue;
      }
      const printed = result.expr === null ? '' : formatFilter(result.expr);
      const again = parseFilter(printed, vocabulary);
      if (!again.ok || JSON.stringify(again.expr) !== JSON.stringify(result.expr)) {
        problems.push(
          `${JSON.stringify(text)} printed as ${JSON.stringify(printed)} does not read back`,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it('returns a tree or a positioned error for 2000 token soups and mutated examples, never throws', () => {
    const random = seededRandom(0x5eed);
    const problems: string[] = [];
    let accepted = 0;
    for (let round = 0; round < 2000; round++) {
      const text =
        round % 2 === 0
          ? tokenSoup(random)
          : mutate(random, random() < 0.5 ? pick(random, EXAMPLES) : validFilter(random));
      try {
        const result = parseFilter(text, vocabulary);
        if (result.ok) {
          accepted += 1;
          if (result.expr === null) {
            if (text.trim() !== '')
              problems.push(`${JSON.stringify(text)}: null for non-blank text`);
            continue;
          }
          // Whatever is accepted also prints and reads back to the same tree.
          const printed = formatFilter(result.expr);
          const again = parseFilter(printed, vocabulary);
          if (!again.ok || JSON.stringify(again.expr) !== JSON.stringify(result.expr)) {
            problems.push(
              `${JSON.stringify(text)}: printed ${JSON.stringify(printed)} does not read back`,
            );
          }
          continue;
        }
        const { position, message, expected, display } = result.error;
        const positioned = Number.isInteger(position) && position >= 0 && position <= text.length;
        if (
          !positioned ||
          message === '' ||
          expected === '' ||
          !display.includes(`^\n${message}`)
        ) {
          problems.push(`${JSON.stringify(text)}: bad error ${JSON.stringify(result.error)}`);
        }
      } catch (error) {
        problems.push(`${JSON.stringify(text)}: threw ${String(error)}`);
      }
    }
    expect(problems).toEqual([]);
    // The generator is useful only if it reaches both outcomes.
    expect(accepted).toBeGreaterThan(50);
    expect(accepted).toBeLessThan(1950);
  });
});
