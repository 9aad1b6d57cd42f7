import { describe, expect, it } from 'vitest';
import { tokenizeFilter } from '../../../shared/filter/tokenizeFilter';

function kindsAndTexts(text: string): [string, string][] {
  return tokenizeFilter(text).map((token) => [token.kind, token.text]);
}

describe('tokenizeFilter', () => {
  it('splits words, symbols and strings and ends with an end token at the text length', () => {
    const tokens = tokenizeFilter('reason.value>=0x10 && !(comm in {"a b", c})');
    expect(tokens.map((token) => [token.kind, token.text, token.start])).toEqual([
      ['word', 'reason.value', 0],
      ['symbol', '>=', 12],
      ['word', '0x10', 14],
      ['symbol', '&&', 19],
      ['symbol', '!', 22],
      ['symbol', '(', 23],
      ['word', 'comm', 24],
      ['word', 'in', 29],
      ['symbol', '{', 32],
      ['string', 'a b', 33],
      ['symbol', ',', 38],
      ['word', 'c', 40],
      ['symbol', '}', 41],
      ['symbol', ')', 42],
      ['end', '', 43],
    ]);
  });

  it('keeps letters, digits and _ : . - / + in one bare word', () => {
    expect(kindsAndTexts('tcp_v4_rcv+0x1a/0x2b0 ovs:DROP-1.5 é')).toEqual([
      ['word', 'tcp_v4_rcv+0x1a/0x2b0'],
      ['word', 'ovs:DROP-1.5'],
      ['word', 'é'],
      ['end', ''],
    ]);
  });

  it('takes the longest symbol', () => {
    expect(kindsAndTexts('<=<!=!')).toEqual([
      ['symbol', '<='],
      ['symbol', '<'],
      ['symbol', '!='],
      ['symbol', '!'],
      ['end', ''],
    ]);
  });

  it('resolves \\" and \\\\ in strings and keeps any other backslash', () => {
    const [token] = tokenizeFilter('"a\\"b\\\\c\\d"');
    expect(token).toMatchObject({ kind: 'string', text: 'a"b\\c\\d', start: 0, end: 11 });
  });

  it('ends with an invalid token at an unterminated string', () => {
    const last = tokenizeFilter('comm == "abc\\"').at(-1);
    expect(last).toMatchObject({ kind: 'invalid', start: 8 });
    expect(last?.kind === 'invalid' && last.message).toContain('unterminated string');
  });

  it('ends with an invalid token at the first character that starts no token', () => {
    const tokens = tokenizeFilter('cpu @ # ==');
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).toMatchObject({
      kind: 'invalid',
      start: 4,
      message: "unexpected character '@'",
    });
  });

  it('reports a character outside the BMP whole', () => {
    expect(tokenizeFilter('😀').at(-1)).toMatchObject({ kind: 'invalid', text: '😀', end: 2 });
  });
});
