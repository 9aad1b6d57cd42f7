/**
 * Seeded mutations of real trace lines, for the parsers' fuzz tests.
 */
import { seededRandom } from './seededRandom';

/** `count` lines, each a random line of `lines` with one random mutation (cut, junk, splice …). */
export function mutateLines(lines: readonly string[], count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const result: string[] = [];
  for (let i = 0; i < count; i++) {
    const line = lines[pick(lines.length)] ?? '';
    const at = pick(line.length + 1);
    const junk = Array.from({ length: 1 + pick(12) }, () => String.fromCharCode(pick(256))).join(
      '',
    );
    switch (pick(8)) {
      case 0:
        result.push(line.slice(0, at));
        break;
      case 1:
        result.push(line.slice(0, at) + line.slice(at + 1 + pick(20)));
        break;
      case 2:
        result.push(line.slice(0, at) + junk + line.slice(at));
        break;
      case 3:
        result.push(line.slice(0, at) + junk.charAt(0) + line.slice(at + 1));
        break;
      case 4:
        result.push(line.slice(0, at) + line.slice(pick(line.length)));
        break;
      case 5:
        result.push(line.replace(/\d/g, (digit) => (random() < 0.2 ? 'x' : digit)));
        break;
      case 6:
        result.push(
          line.slice(0, at) + ' '.repeat(pick(5000)) + '-1 [1] '.repeat(pick(500)) + line.slice(at),
        );
        break;
      default:
        result.push(line.replace(/=/g, () => (random() < 0.3 ? ' ' : '=')));
        break;
    }
  }
  return result;
}

/**
 * One random mutation of `text` (a cut, an inserted piece from `pieces`, a doubled line, a
 * truncation, a rotation), for fuzzing parsers of multi-line formats.
 */
export function mutateText(text: string, random: () => number, pieces: readonly string[]): string {
  const at = Math.floor(random() * text.length);
  switch (Math.floor(random() * 5)) {
    case 0:
      return text.slice(0, at) + text.slice(at + Math.floor(random() * 40));
    case 1:
      return (
        text.slice(0, at) + (pieces[Math.floor(random() * pieces.length)] ?? '') + text.slice(at)
      );
    case 2: {
      const lines = text.split('\n');
      const i = Math.floor(random() * lines.length);
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    }
    case 3:
      return text.slice(0, at);
    default:
      return text.slice(at) + text.slice(0, at);
  }
}
