/**
 * Fails loudly when an impossible state is reached.
 *
 * Use for programming errors only; expected failures return a `Result`.
 */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Invariant failed: ${message}`);
}
