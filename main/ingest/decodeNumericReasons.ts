/**
 * Decoding of a store's numeric reasons, shared by text and binary loads: choose the kernel
 * table (chooseReasonDecoder), set the effective reason of every event that has only a number,
 * and tell which decoded names are UNKNOWN(n).
 */
import { chooseReasonDecoder, type ReasonDecoderChoice, type ReasonDecoderInput } from '../kernel';
import type { EventStore } from '../store';

/** What decoding chose and found. */
export interface NumericDecoding {
  choice: ReasonDecoderChoice;
  /** Distinct numbers that needed a table. */
  values: number[];
  /** Names the table gave as `UNKNOWN(n)` (values outside it). */
  unknownNames: string[];
}

/** Decodes `store`'s numbers with the table `input` leads to. O(events) once, one decode per distinct value. */
export function decodeNumericReasons(
  store: EventStore,
  input: Omit<ReasonDecoderInput, 'observedValues'>,
): NumericDecoding {
  const values = store.valuesNeedingDecode();
  const choice = chooseReasonDecoder({ ...input, observedValues: values });
  store.decodeReasons((value) => choice.decode(value));
  // Events with only a number now carry exactly the decoded names of these values.
  const unknownNames = [...new Set(values.map((value) => choice.decode(value)))].filter((name) =>
    name.startsWith('UNKNOWN('),
  );
  return { choice, values, unknownNames };
}

/** The warning for reasons shown as UNKNOWN(n), or null when there are none. */
export function unknownReasonsWarning(
  file: string,
  names: Iterable<string>,
  table: string | null,
): string | null {
  const sorted = [...new Set(names)].sort();
  if (sorted.length === 0) return null;
  return `${file}: ${sorted.join(', ')}: reason numbers outside the ${table ?? 'chosen'} table; shown as UNKNOWN(n)`;
}
