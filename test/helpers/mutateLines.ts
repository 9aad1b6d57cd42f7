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
