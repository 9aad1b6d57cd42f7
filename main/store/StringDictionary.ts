/**
 * Interns strings to dense integer ids, so columns hold 4-byte ids instead of strings.
 *
 * Ids start at 0 and never change for the life of the dictionary; `-1` means null in columns.
 * Lookups are O(1) through a Map. A predicate over a string field is evaluated once per entry
 * (see compileFilter), which is what makes filters over millions of events cheap.
 */
export class StringDictionary {
  private readonly ids = new Map<string, number>();
  private readonly values: string[] = [];

  /** Returns the id of `value`, adding it when new. */
  intern(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  /** Id of `value`, or -1 when it was never interned. */
  idOf(value: string): number {
    return this.ids.get(value) ?? -1;
  }

  /** String of an id; null for -1. */
  valueOf(id: number): string | null {
    return id < 0 ? null : (this.values[id] ?? null);
  }

  /** Number of distinct strings. */
  get size(): number {
    return this.values.length;
  }

  /** All strings, indexed by id (read-only view). */
  all(): readonly string[] {
    return this.values;
  }

  /**
   * Replaces every string by `rename(string)`. Returns null when the new strings are distinct
   * (ids unchanged), else the map old id → new id (strings that became equal share the id of
   * the first), which the caller applies to its columns. O(size).
   */
  rename(rename: (value: string) => string): Int32Array | null {
    const renamed = this.values.map(rename);
    this.ids.clear();
    let remap: Int32Array | null = null;
    let kept = 0;
    renamed.forEach((value, id) => {
      const earlier = this.ids.get(value);
      if (earlier === undefined) {
        this.ids.set(value, kept);
        this.values[kept] = value;
        if (remap) remap[id] = kept;
        kept++;
        return;
      }
      if (!remap) remap = Int32Array.from({ length: renamed.length }, (_, k) => k);
      remap[id] = earlier;
    });
    this.values.length = kept;
    return remap;
  }

  /**
   * Ranks of the ids in lexical order: `ranks[id]` is the position of `valueOf(id)` among all
   * entries sorted with `localeCompare`-free code-unit order (stable across runs).
   */
  lexicalRanks(): Int32Array {
    const order = this.values.map((_, id) => id);
    order.sort((a, b) => {
      const x = this.values[a] ?? '';
      const y = this.values[b] ?? '';
      return x < y ? -1 : x > y ? 1 : 0;
    });
    const ranks = new Int32Array(this.values.length);
    order.forEach((id, rank) => (ranks[id] = rank));
    return ranks;
  }
}
