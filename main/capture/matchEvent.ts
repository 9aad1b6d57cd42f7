/**
 * Evaluates the user-space part of a capture filter on one `EventInput`, with the store's
 * semantics (main/store compileFilter): unknown values (null, -1, NaN) match only `!=`; `time` is
 * nanoseconds since the first captured event; `reason` is the name, else `UNKNOWN(n)` for a number
 * without one; `contains`/`matches` on `protocol` test its name (`0x…` when unnamed).
 *
 * Capture runs before any store exists, so it cannot reuse the store's column evaluator; this is
 * the per-event form of the same rules. Compiled once per session into closures.
 */
import type {
  CompareOp,
  EventField,
  EventInput,
  FilterExpr,
  FilterValue,
} from '../../shared/model';
import { formatProtocol, isStringField, protocolNumber } from '../../shared/model';
import { assertNever } from '../../shared/util';
import { CaptureError } from './CaptureBackend';

/** Tests one event; `originNs` is the timestamp of the first captured event. */
export type EventMatcher = (event: EventInput, originNs: number) => boolean;

/** The effective reason name of an event, as the store would show it. */
export function reasonNameOf(event: EventInput): string | null {
  if (event.reason !== null) return event.reason;
  return event.reasonValue >= 0 ? `UNKNOWN(${event.reasonValue})` : null;
}

function stringValue(field: EventField, event: EventInput): string | null {
  switch (field) {
    case 'comm':
      return event.comm;
    case 'skbaddr':
      return event.skbaddr;
    case 'rx_sk':
      return event.rxSk;
    case 'location':
      return event.location;
    case 'reason':
      return reasonNameOf(event);
    case 'time':
    case 'cpu':
    case 'pid':
    case 'protocol':
    case 'reason.value':
      return null;
    default:
      return assertNever(field);
  }
}

/** A number field of an event; negative or NaN means unknown. */
function numberValue(field: EventField, event: EventInput, originNs: number): number {
  switch (field) {
    case 'time':
      return event.timestampNs - originNs;
    case 'cpu':
      return event.cpu;
    case 'pid':
      return event.pid;
    case 'protocol':
      return event.protocol;
    case 'reason.value':
      return event.reasonValue;
    case 'comm':
    case 'skbaddr':
    case 'rx_sk':
    case 'location':
    case 'reason':
      return Number.NaN;
    default:
      return assertNever(field);
  }
}

function toNumber(field: EventField, value: FilterValue): number {
  if (typeof value === 'number') return value;
  if (field === 'protocol') {
    const named = protocolNumber(value);
    if (named !== null) return named;
  }
  const parsed = /^0x[0-9a-f]+$/i.test(value) ? Number.parseInt(value, 16) : Number(value);
  if (value.trim() === '' || Number.isNaN(parsed)) {
    throw new CaptureError(`${field} takes a number, not "${value}"`);
  }
  return parsed;
}

function compare<T extends string | number>(op: CompareOp, a: T, b: T): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      return assertNever(op);
  }
}

/** Compiles a leaf: a test on the known value, and whether an unknown value matches. */
function leaf(expr: Exclude<FilterExpr, { kind: 'and' | 'or' | 'not' }>): EventMatcher {
  const field = expr.field;
  const text = isStringField(field);
  const onString = (test: (value: string) => boolean, matchesNull: boolean): EventMatcher => {
    return (event) => {
      const value = stringValue(field, event);
      return value === null ? matchesNull : test(value);
    };
  };
  const onNumber = (test: (value: number) => boolean, matchesUnknown: boolean): EventMatcher => {
    return (event, origin) => {
      const value = numberValue(field, event, origin);
      return value >= 0 ? test(value) : matchesUnknown;
    };
  };
  const numberText = (value: number): string =>
    field === 'protocol' ? formatProtocol(value) : String(value);
  switch (expr.kind) {
    case 'compare': {
      const matchesUnknown = expr.op === '!=';
      if (text) {
        const target = String(expr.value);
        return onString((v) => compare(expr.op, v, target), matchesUnknown);
      }
      const target = toNumber(field, expr.value);
      return onNumber((v) => compare(expr.op, v, target), matchesUnknown);
    }
    case 'in': {
      if (text) {
        const set = new Set(expr.values.map(String));
        return onString((v) => set.has(v), false);
      }
      const set = new Set(expr.values.map((v) => toNumber(field, v)));
      return onNumber((v) => set.has(v), false);
    }
    case 'contains': {
      const needle = expr.text;
      return text
        ? onString((v) => v.includes(needle), false)
        : onNumber((v) => numberText(v).includes(needle), false);
    }
    case 'matches': {
      let regexp: RegExp;
      try {
        regexp = new RegExp(expr.pattern, expr.flags ?? '');
      } catch (error) {
        throw new CaptureError(`invalid regular expression: ${(error as Error).message}`);
      }
      return text
        ? onString((v) => regexp.test(v), false)
        : onNumber((v) => regexp.test(numberText(v)), false);
    }
    case 'exists':
      return text ? onString(() => true, false) : onNumber(() => true, false);
    default:
      return assertNever(expr, 'Unknown filter node');
  }
}

/** Compiles `expr` into a per-event test. Throws CaptureError for an invalid regex or value. */
export function compileEventMatcher(expr: FilterExpr): EventMatcher {
  switch (expr.kind) {
    case 'and': {
      const items = expr.items.map(compileEventMatcher);
      return (event, origin) => items.every((item) => item(event, origin));
    }
    case 'or': {
      const items = expr.items.map(compileEventMatcher);
      return (event, origin) => items.some((item) => item(event, origin));
    }
    case 'not': {
      const item = compileEventMatcher(expr.item);
      return (event, origin) => !item(event, origin);
    }
    case 'compare':
    case 'in':
    case 'contains':
    case 'matches':
    case 'exists':
      return leaf(expr);
    default:
      return assertNever(expr, 'Unknown filter node');
  }
}
