/**
 * The outcome of an operation that can fail in an expected way.
 *
 * `ok: false` carries a message meant for the user (it names the file and line when there is one).
 */
export type Result<T, E = string> = { ok: true; value: T } | { ok: false; error: E };

/** Wraps a value as a successful `Result`. */
export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value };
}

/** Wraps an error as a failed `Result`. */
export function err<E>(error: E): Result<never, E> {
  return { ok: false, error };
}
