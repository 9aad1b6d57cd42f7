import { describe, expect, it } from 'vitest';
import { editDistance, nearestNames } from '../../../shared/filter/nearestNames';

describe('nearestNames', () => {
  it('measures the Levenshtein distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('ranks by distance ignoring case, keeps candidate order on ties, and returns names as given', () => {
    // Distances from cpx: pid 3, CPU 1, cpu2 2, comm 3 — pid and comm tie, pid comes first.
    expect(nearestNames('cpx', ['pid', 'CPU', 'cpu2', 'comm'], 3)).toEqual(['CPU', 'cpu2', 'pid']);
  });

  it('leaves out candidates beyond the maximum distance', () => {
    expect(nearestNames('xyz', ['cpu', 'pid'], 3, 2)).toEqual([]);
  });

  it('stays cheap on very long input by comparing a bounded prefix', () => {
    expect(editDistance('a'.repeat(1_000_000), 'a')).toBe(63);
  });
});
