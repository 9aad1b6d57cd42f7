import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findReasonTable, parseTracepointFormat } from '../../../main/kernel';

const fixturePath = fileURLToPath(new URL('./fixtures/kfree_skb.format-6.18.txt', import.meta.url));
const fixture = readFileSync(fixturePath, 'utf8');

const OLD_FORMAT = `name: kfree_skb
ID: 1234
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;

\tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;
\tfield:void * location;\toffset:16;\tsize:8;\tsigned:0;
\tfield:unsigned short protocol;\toffset:24;\tsize:2;\tsigned:0;

print fmt: "skbaddr=%p protocol=%u location=%p", REC->skbaddr, REC->protocol, REC->location
`;

function symbolicFormat(entries: string): string {
  return (
    'name: kfree_skb\nformat:\n\tfield:enum skb_drop_reason reason;\toffset:36;\tsize:4;\tsigned:0;\n\n' +
    `print fmt: "reason: %s", __print_symbolic(REC->reason, ${entries})\n`
  );
}

describe('parseTracepointFormat', () => {
  it('reads name, ID and every field of the 6.18 kfree_skb format', () => {
    const result = parseTracepointFormat(fixture);
    if (!result.ok) throw new Error(result.error);
    const format = result.value;
    expect(format.name).toBe('kfree_skb');
    expect(format.id).toBeGreaterThan(0);
    expect(format.fields.filter((field) => !field.common).map((field) => field.name)).toEqual([
      'skbaddr',
      'location',
      'rx_sk',
      'protocol',
      'reason',
    ]);
    expect(format.fields.find((field) => field.name === 'reason')).toMatchObject({
      type: 'enum skb_drop_reason',
      size: 4,
      signed: false,
    });
    expect(format.fields.find((field) => field.name === 'common_pid')).toMatchObject({
      common: true,
      signed: true,
    });
  });

  it('reads the print fmt string and its arguments', () => {
    const result = parseTracepointFormat(fixture);
    if (!result.ok) throw new Error(result.error);
    expect(result.value.printFmt).toBe(findReasonTable('6.18.44')?.tracepoint.printFmt);
    expect(result.value.printArgs.slice(0, 4)).toEqual([
      'REC->skbaddr',
      'REC->rx_sk',
      'REC->protocol',
      'REC->location',
    ]);
  });

  it('maps every listed value to the name of the 6.18.44 table', () => {
    const result = parseTracepointFormat(fixture, { source: 'fixture' });
    if (!result.ok) throw new Error(result.error);
    const reasons = result.value.reasons;
    const table = findReasonTable('6.18.44');
    expect(reasons?.source).toBe('fixture');
    expect(reasons?.names.size).toBe(127);
    expect(reasons?.names.get(2)).toBe('NOT_SPECIFIED');
    expect(reasons?.names.get(128)).toBe('MAX');
    expect(reasons?.names.has(0)).toBe(false);
    for (const [value, name] of reasons?.names ?? []) expect(table?.names[value]).toBe(name);
  });

  it('accepts hexadecimal values in the symbol list', () => {
    const result = parseTracepointFormat(
      symbolicFormat('{ 0x2, "NOT_SPECIFIED" }, { 0x3, "NO_SOCKET" }'),
    );
    if (!result.ok) throw new Error(result.error);
    expect([...(result.value.reasons?.names ?? [])]).toEqual([
      [2, 'NOT_SPECIFIED'],
      [3, 'NO_SOCKET'],
    ]);
  });

  it('numbers { SKB_DROP_REASON_X, "X" } entries by name with a supplied table', () => {
    const text = symbolicFormat(
      '{ SKB_DROP_REASON_NOT_SPECIFIED, "NOT_SPECIFIED" }, { SKB_DROP_REASON_NO_SOCKET, "NO_SOCKET" }',
    );
    const result = parseTracepointFormat(text, { table: findReasonTable('6.18.44') });
    if (!result.ok) throw new Error(result.error);
    expect(result.value.reasons?.names.get(3)).toBe('NO_SOCKET');
    expect(result.value.unresolvedReasonNames).toEqual([]);
  });

  it('reports symbolic entries as unresolved when no table is supplied', () => {
    const text = symbolicFormat('{ SKB_DROP_REASON_NO_SOCKET, "NO_SOCKET" }');
    const result = parseTracepointFormat(text);
    if (!result.ok) throw new Error(result.error);
    expect(result.value.reasons?.names.size).toBe(0);
    expect(result.value.unresolvedReasonNames).toEqual(['SKB_DROP_REASON_NO_SOCKET']);
  });

  it('parses a format without a reason list with reasons null', () => {
    const result = parseTracepointFormat(OLD_FORMAT);
    if (!result.ok) throw new Error(result.error);
    expect(result.value.reasons).toBeNull();
    expect(result.value.printFmt).toBe('skbaddr=%p protocol=%u location=%p');
  });

  it('rejects text that is not a format file', () => {
    const result = parseTracepointFormat('hello\nworld\n');
    expect(result.ok).toBe(false);
  });
});
