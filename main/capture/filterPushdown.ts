/**
 * Splits a display filter into the part the kernel evaluates and the part left to user space.
 *
 * The kernel can test numbers of the event record: `reason` (a name, turned into the running
 * kernel's number), `reason.value`, `protocol`, `cpu` and `pid` (the task id the tracers print),
 * combined with and/or/not. Text fields (`comm`, `location`, pointers), `time`, `contains`,
 * `matches` and field-exists tests stay in user space.
 *
 * The split is exact, never approximate: the top-level conjunction is split item by item (each
 * item runs wholly on one side); an `or` or `not` goes to the kernel only when everything under
 * it can, otherwise it runs wholly in user space. Both parts must hold, so kernel ∧ user is the
 * original filter.
 *
 * Two dialects render the kernel part: `ftrace` (the tracefs event filter, also what
 * `perf record --filter` hands to the kernel) and `bpftrace` (a probe predicate).
 */
import type { EventField, FilterExpr, FilterValue } from '../../shared/model';
import { andAll, protocolNumber } from '../../shared/model';
import type { FilterPlacement } from './CaptureBackend';

/** The kernel filter syntax to render. */
export type FilterDialect = 'ftrace' | 'bpftrace';

/** The running kernel's number for a reason name, or null when it has none. */
export type ReasonNumberOf = (name: string) => number | null;

const FIELD_NAMES: Record<FilterDialect, Partial<Record<EventField, string>>> = {
  ftrace: {
    reason: 'reason',
    'reason.value': 'reason',
    protocol: 'protocol',
    cpu: 'CPU',
    pid: 'common_pid',
  },
  bpftrace: {
    reason: 'args->reason',
    'reason.value': 'args->reason',
    protocol: 'args->protocol',
    cpu: 'cpu',
    pid: 'tid',
  },
};

const MAX_KERNEL_NUMBER = 0xffffffff;

/** The kernel number of one filter value, or null when the kernel cannot test it. */
function kernelNumber(
  field: EventField,
  value: FilterValue,
  reasonNumberOf: ReasonNumberOf,
): number | null {
  let n: number | null;
  if (field === 'reason') n = typeof value === 'string' ? reasonNumberOf(value) : null;
  else if (typeof value === 'number') n = value;
  else if (field === 'protocol') n = protocolNumber(value);
  else n = null;
  return n !== null && Number.isInteger(n) && n >= 0 && n <= MAX_KERNEL_NUMBER ? n : null;
}

function literal(field: EventField, n: number): string {
  return field === 'protocol' ? `0x${n.toString(16).padStart(4, '0')}` : String(n);
}

/** Renders `expr` for the kernel; null when some part of it cannot run there. */
export function renderKernelFilter(
  expr: FilterExpr,
  dialect: FilterDialect,
  reasonNumberOf: ReasonNumberOf,
): string | null {
  const group = (item: FilterExpr): string | null => {
    const text = renderKernelFilter(item, dialect, reasonNumberOf);
    return text !== null && (item.kind === 'and' || item.kind === 'or') ? `(${text})` : text;
  };
  switch (expr.kind) {
    case 'and':
    case 'or': {
      if (expr.items.length === 0) return null;
      const parts = expr.items.map(group);
      if (parts.some((part) => part === null)) return null;
      return parts.join(expr.kind === 'and' ? ' && ' : ' || ');
    }
    case 'not': {
      const inner = renderKernelFilter(expr.item, dialect, reasonNumberOf);
      return inner === null ? null : `!(${inner})`;
    }
    case 'compare': {
      const name = FIELD_NAMES[dialect][expr.field];
      if (name === undefined) return null;
      if (expr.field === 'reason' && expr.op !== '==' && expr.op !== '!=') return null;
      const n = kernelNumber(expr.field, expr.value, reasonNumberOf);
      return n === null ? null : `${name} ${expr.op} ${literal(expr.field, n)}`;
    }
    case 'in': {
      const name = FIELD_NAMES[dialect][expr.field];
      if (name === undefined || expr.values.length === 0) return null;
      const numbers = expr.values.map((v) => kernelNumber(expr.field, v, reasonNumberOf));
      if (numbers.some((n) => n === null)) return null;
      const tests = [...new Set(numbers as number[])].map(
        (n) => `${name} == ${literal(expr.field, n)}`,
      );
      return tests.length === 1 ? (tests[0] ?? null) : `(${tests.join(' || ')})`;
    }
    case 'contains':
    case 'matches':
    case 'exists':
      return null;
    default:
      return null;
  }
}

/** The items of the top-level conjunction (nested `and`s flattened). */
function conjuncts(expr: FilterExpr): FilterExpr[] {
  return expr.kind === 'and' ? expr.items.flatMap(conjuncts) : [expr];
}

/**
 * Splits `expr` into its kernel and user-space parts (see the file overview). `kernelWhere`
 * names where the kernel part runs, for messages. Pure.
 */
export function splitFilter(
  expr: FilterExpr | null | undefined,
  dialect: FilterDialect,
  reasonNumberOf: ReasonNumberOf,
  kernelWhere: string,
): FilterPlacement {
  if (!expr) return { kernelText: null, kernel: null, user: null, kernelWhere };
  const kernelItems: FilterExpr[] = [];
  const kernelTexts: string[] = [];
  const userItems: FilterExpr[] = [];
  for (const item of conjuncts(expr)) {
    const text = renderKernelFilter(item, dialect, reasonNumberOf);
    if (text === null) userItems.push(item);
    else {
      kernelItems.push(item);
      kernelTexts.push(item.kind === 'or' ? `(${text})` : text);
    }
  }
  return {
    kernelText: kernelTexts.length === 0 ? null : kernelTexts.join(' && '),
    kernel: andAll(kernelItems),
    user: andAll(userItems),
    kernelWhere,
  };
}

/** Everything in user space: the fallback when the kernel refused the filter. */
export function userSideOnly(
  expr: FilterExpr | null | undefined,
  kernelWhere: string,
): FilterPlacement {
  return { kernelText: null, kernel: null, user: expr ?? null, kernelWhere };
}
