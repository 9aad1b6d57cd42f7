/**
 * Marks a branch that the type checker proves unreachable.
 *
 * Call it in the `default` of an exhaustive switch; it throws if a new variant slips through at
 * run time.
 */
export function assertNever(value: never, message = 'Unexpected value'): never {
  throw new Error(`${message}: ${JSON.stringify(value)}`);
}
