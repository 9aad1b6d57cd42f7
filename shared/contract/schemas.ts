/**
 * zod schemas of the contract's request payloads. The TypeScript request types are inferred from
 * them, so what is validated and what is typed cannot drift apart.
 */
import { z } from 'zod';
import { CAPTURE_BACKENDS, EVENT_FIELDS, EXPORT_FORMATS, TRACE_FORMATS } from '../model';

/** Bounds of a live capture's ring limit, in events. */
export const MIN_RING_LIMIT = 65_536;
export const MAX_RING_LIMIT = 50_000_000;

/** A loaded trace's id (assigned by main). */
export const traceIdSchema = z.string().min(1).max(64);

const fieldSchema = z.enum(EVENT_FIELDS);
const valueSchema = z.union([z.string().max(4096), z.number()]);

type FilterExprShape =
  | { kind: 'and' | 'or'; items: FilterExprShape[] }
  | { kind: 'not'; item: FilterExprShape }
  | {
      kind: 'compare';
      field: (typeof EVENT_FIELDS)[number];
      op: '==' | '!=' | '<' | '<=' | '>' | '>=';
      value: string | number;
    }
  | { kind: 'in'; field: (typeof EVENT_FIELDS)[number]; values: (string | number)[] }
  | { kind: 'contains'; field: (typeof EVENT_FIELDS)[number]; text: string }
  | {
      kind: 'matches';
      field: (typeof EVENT_FIELDS)[number];
      pattern: string;
      flags?: string | undefined;
    }
  | { kind: 'exists'; field: (typeof EVENT_FIELDS)[number] };

/** A FilterExpr tree (depth-limited by zod's recursion through lazy). */
export const filterExprSchema: z.ZodType<FilterExprShape> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.enum(['and', 'or']), items: z.array(filterExprSchema).max(10_000) }),
    z.object({ kind: z.literal('not'), item: filterExprSchema }),
    z.object({
      kind: z.literal('compare'),
      field: fieldSchema,
      op: z.enum(['==', '!=', '<', '<=', '>', '>=']),
      value: valueSchema,
    }),
    z.object({
      kind: z.literal('in'),
      field: fieldSchema,
      values: z.array(valueSchema).max(100_000),
    }),
    z.object({ kind: z.literal('contains'), field: fieldSchema, text: z.string().max(4096) }),
    z.object({
      kind: z.literal('matches'),
      field: fieldSchema,
      pattern: z.string().max(4096),
      flags: z.string().max(8).optional(),
    }),
    z.object({ kind: z.literal('exists'), field: fieldSchema }),
  ]),
);

/** A FilterSpec. */
export const filterSpecSchema = z.object({
  expr: filterExprSchema.nullable().optional(),
  timeRange: z.object({ startNs: z.number(), endNs: z.number() }).nullable().optional(),
});

const sortSchema = z.object({ field: fieldSchema, direction: z.enum(['asc', 'desc']) });

/** Request schemas by channel. */
export const requestSchemas = {
  'app:info': z.object({}),
  'app:recent': z.object({}),
  'kernel:tables': z.object({}),
  'trace:open': z.object({
    path: z.string().min(1).max(4096),
    format: z.enum(TRACE_FORMATS).nullable().optional(),
    kernel: z.string().max(200).nullable().optional(),
    /** Chosen by the caller so that it can cancel the load (`trace:cancel`). */
    loadId: z.string().min(1).max(64).optional(),
  }),
  'trace:openSample': z.object({}),
  'trace:list': z.object({}),
  'trace:close': z.object({ traceId: traceIdSchema }),
  'trace:cancel': z.object({ loadId: z.string().min(1).max(64) }),
  'trace:summary': z.object({ traceId: traceIdSchema, filter: filterSpecSchema }),
  'trace:page': z.object({
    traceId: traceIdSchema,
    filter: filterSpecSchema,
    sort: sortSchema.nullable().optional(),
    start: z.number().int().min(0),
    end: z.number().int().min(0),
  }),
  'trace:histogram': z.object({
    traceId: traceIdSchema,
    filter: filterSpecSchema,
    startNs: z.number(),
    bucketNs: z.number().positive(),
    buckets: z.number().int().min(1).max(20_000),
    splitBy: fieldSchema.nullable().optional(),
    maxSeries: z.number().int().min(1).max(100).optional(),
  }),
  'trace:counts': z.object({
    traceId: traceIdSchema,
    filter: filterSpecSchema,
    field: fieldSchema,
    limit: z.number().int().min(1).max(100_000).optional(),
  }),
  'trace:crossCounts': z.object({
    traceId: traceIdSchema,
    filter: filterSpecSchema,
    fieldA: fieldSchema,
    fieldB: fieldSchema,
    limit: z.number().int().min(1).max(100_000).optional(),
  }),
  'trace:packet': z.object({ traceId: traceIdSchema, skbaddr: z.string().min(1).max(200) }),
  'trace:rawLine': z.object({ traceId: traceIdSchema, line: z.number().int().min(1) }),
  'trace:redecode': z.object({ traceId: traceIdSchema, kernel: z.string().max(200).nullable() }),
  'trace:compare': z.object({ a: traceIdSchema, b: traceIdSchema, filter: filterSpecSchema }),
  'trace:stats': z.object({ traceId: traceIdSchema, filter: filterSpecSchema }),
  /**
   * Exports the view (`filter`) of a trace. `path`: where to write (desktop, from
   * `app:chooseSavePath`); null or absent in browser mode, where the server writes a private
   * temporary file and answers a download id. `filterText` is the filter as the user reads it
   * (written into reports and data headers). Progress: `report:exportProgress` with `exportId`.
   */
  'report:export': z.object({
    traceId: traceIdSchema,
    filter: filterSpecSchema,
    filterText: z.string().max(100_000).nullable(),
    format: z.enum(EXPORT_FORMATS),
    exportId: z.string().min(1).max(64),
    path: z.string().min(1).max(4096).nullable().optional(),
  }),
  /** The live-capture backends of this machine, whether each can run, and why not. */
  'capture:backends': z.object({}),
  /**
   * Starts a live capture into a new trace (a tab that fills while recording). `backend` null:
   * the first available. `filter`: the display filter, split between the kernel and user space
   * (`filterText` is how the user wrote it). `ringLimit`: the most events kept; older ones are
   * evicted in blocks and counted. Progress: `capture:progress`.
   */
  'capture:start': z.object({
    backend: z.enum(CAPTURE_BACKENDS).nullable(),
    filter: filterExprSchema.nullable(),
    filterText: z.string().max(100_000).nullable(),
    ringLimit: z.number().int().min(MIN_RING_LIMIT).max(MAX_RING_LIMIT),
    bufferKb: z.number().int().min(256).max(1_048_576).nullable().optional(),
  }),
  /** Stops a capture; resolves once the helper has drained and exited. The trace stays open. */
  'capture:stop': z.object({ captureId: z.string().min(1).max(64) }),
  /** Every capture of this session (running or ended), for a page that reconnects. */
  'capture:list': z.object({}),
  /** Asks the user where to save a file (desktop: a save dialog); null when cancelled or none. */
  'app:chooseSavePath': z.object({
    defaultName: z.string().min(1).max(255),
    extension: z.string().regex(/^[a-z0-9]{1,10}$/),
  }),
} as const;
