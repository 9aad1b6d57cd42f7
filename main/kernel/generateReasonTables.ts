/**
 * Generator: reads every `vN.json` of the kernel drop-reason data (../shared/kernel-reasons by
 * default) and writes `main/kernel/reasonTables.generated.ts`, so the app never reads that folder
 * at run time.
 *
 * Usage (from the repository root):
 *   npx tsx main/kernel/generateReasonTables.ts [dir]
 *
 * `renderReasonTables` is pure (JSON in, TypeScript text out); a test compares its output with
 * the committed file. Each input table is checked against its own `reason_table_sha1`.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ReasonSubsystemData, ReasonTableData } from './ReasonTable';

/** One input file: its name (`v6.12.json`) and parsed JSON. */
export interface ReasonTableSourceFile {
  name: string;
  json: unknown;
}

type Json = Record<string, unknown>;

function asObject(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${where}: expected an object`);
  }
  return value as Json;
}

function asArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where}: expected an array`);
  return value;
}

function asString(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new Error(`${where}: expected a string`);
  return value;
}

function asNumber(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new Error(`${where}: expected an integer`);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], where: string): T {
  const text = asString(value, where);
  if (!(allowed as readonly string[]).includes(text)) {
    throw new Error(`${where}: expected one of ${allowed.join(', ')}, got ${text}`);
  }
  return text as T;
}

/** One-line description of where a table was read. */
function describeSource(source: Json, where: string): string {
  if (typeof source.repo === 'string') {
    const commit = asString(source.commit, `${where}.commit`).slice(0, 12);
    return `${source.repo}@${commit} ${asString(source.path, `${where}.path`)}`;
  }
  if (typeof source.debian_package === 'string') {
    return `debian ${source.debian_package} ${asString(source.path, `${where}.path`)}`;
  }
  if (typeof source.kernel_version === 'string') {
    return `running kernel ${source.kernel_version} (tracefs events/skb/kfree_skb/format + BTF)`;
  }
  throw new Error(`${where}: no repo, debian_package or kernel_version`);
}

function versionKey(kernel: string): number[] {
  const parts = kernel.split('.').map(Number);
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
}

function compareKernels(a: string, b: string): number {
  const ka = versionKey(a);
  const kb = versionKey(b);
  for (let i = 0; i < 3; i++) {
    const d = (ka[i] ?? 0) - (kb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function readSubsystem(value: unknown, where: string): ReasonSubsystemData | null {
  const subsystem = asObject(value, where);
  const id = asNumber(subsystem.id, `${where}.id`);
  const name = asString(subsystem.name, `${where}.name`);
  if (subsystem.sentinel === true || subsystem.reasons === 'core') return null;
  if (subsystem.reasons === null || subsystem.reasons === undefined) {
    return { id, name, reasons: null, sentinels: [] };
  }
  const reasons: (string | null)[] = [];
  const sentinels: number[] = [];
  asArray(subsystem.reasons, `${where}.reasons`).forEach((entry, index) => {
    const reason = asObject(entry, `${where}.reasons[${index}]`);
    // QDISC_DROP_UNSPEC is defined as 0, outside the subsystem's range: it is not a value
    // of this subsystem (it would read as core 0), so it has no local slot.
    if (reason.local === undefined) return;
    const local = asNumber(reason.local, `${where}.reasons[${index}].local`);
    const reasonName = asString(reason.name, `${where}.reasons[${index}].name`);
    while (reasons.length < local) reasons.push(null);
    reasons[local] = reasonName;
    if (reason.sentinel === true) sentinels.push(local);
  });
  return { id, name, reasons, sentinels };
}

/** Converts one parsed `vN.json` into generator output data, checking its sha1. */
export function readReasonTableFile(file: ReasonTableSourceFile): ReasonTableData {
  const where = file.name;
  const json = asObject(file.json, where);
  const kernel = asString(json.kernel, `${where}.kernel`);
  const reasons = asArray(json.reasons, `${where}.reasons`).map((entry, index) =>
    asObject(entry, `${where}.reasons[${index}]`),
  );
  const names: (string | null)[] = [];
  const notInTracepoint: number[] = [];
  const sentinels: number[] = [];
  const hash = createHash('sha1');
  for (const reason of reasons) {
    const value = asNumber(reason.value, `${where}.reasons.value`);
    const name = asString(reason.name, `${where}.reasons.name`);
    hash.update(`${value}:${name}\n`);
    while (names.length < value) names.push(null);
    names[value] = name;
    if (reason.in_tracepoint === false) notInTracepoint.push(value);
    if (reason.sentinel === true) sentinels.push(value);
  }
  const sha1 = asString(json.reason_table_sha1, `${where}.reason_table_sha1`);
  if (hash.digest('hex') !== sha1) {
    throw new Error(`${where}: reasons do not match reason_table_sha1 ${sha1}`);
  }
  const max = asNumber(json.max, `${where}.max`);
  if (names[max] !== 'MAX') throw new Error(`${where}: value ${max} is not MAX`);
  const source = asObject(json.source, `${where}.source`);
  const mask = json.subsystem_mask;
  const tracepoint = asObject(json.tracepoint, `${where}.tracepoint`);
  const fieldTypes = asObject(tracepoint.field_types, `${where}.tracepoint.field_types`);
  const subsystems = (json.subsystems === null ? [] : asArray(json.subsystems, where))
    .map((entry, index) => readSubsystem(entry, `${where}.subsystems[${index}]`))
    .filter((entry): entry is ReasonSubsystemData => entry !== null);
  return {
    kernel,
    kind: oneOf(json.kind, ['mainline', 'stable', 'running'] as const, `${where}.kind`),
    confidence: oneOf(json.confidence, ['high', 'medium'] as const, `${where}.confidence`),
    treeVersion:
      typeof source.makefile_version === 'string'
        ? source.makefile_version
        : typeof source.kernel_version === 'string'
          ? source.kernel_version
          : kernel,
    source: describeSource(source, `${where}.source`),
    sha1,
    max,
    names,
    notInTracepoint,
    sentinels,
    subsystemShift: json.subsystem_shift === null ? null : asNumber(json.subsystem_shift, where),
    subsystemMask: mask === null ? null : Number.parseInt(asString(mask, where), 16),
    subsystems,
    tracepoint: {
      printFmt: asString(tracepoint.print_fmt, `${where}.tracepoint.print_fmt`),
      fields: asArray(tracepoint.fields, `${where}.tracepoint.fields`).map((field) => {
        const name = asString(field, `${where}.tracepoint.fields`);
        return { name, type: asString(fieldTypes[name], `${where}.tracepoint.field_types`) };
      }),
    },
  };
}

/** Renders a list of names as TypeScript, wrapped below 100 columns. */
function renderNameList(names: readonly (string | null)[], indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const name of names) {
    const item = name === null ? 'null,' : `'${name}',`;
    if (line.length > 0 && indent.length + line.length + 1 + item.length > 100) {
      lines.push(indent + line);
      line = item;
    } else {
      line = line.length > 0 ? `${line} ${item}` : item;
    }
  }
  if (line.length > 0) lines.push(indent + line);
  return `[\n${lines.join('\n')}\n${indent.slice(2)}]`;
}

/** Splits text at spaces into lines of at most 100 columns, each starting with `prefix`. */
function wrapWords(text: string, prefix: string): string[] {
  const lines: string[] = [];
  let line = prefix;
  for (const word of text.split(' ')) {
    if (line.length > prefix.length && line.length + 1 + word.length > 100) {
      lines.push(line);
      line = prefix;
    }
    line = line.length > prefix.length ? `${line} ${word}` : `${prefix}${word}`;
  }
  if (line.length > prefix.length) lines.push(line);
  return lines;
}

const q = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * Renders `reasonTables.generated.ts` from the input files.
 *
 * Pure and deterministic: tables are ordered by kernel version; identical core tables (same sha1)
 * and identical subsystem lists are emitted once and shared. `sourceLabel` names the folder in
 * the header comment.
 */
export function renderReasonTables(
  files: readonly ReasonTableSourceFile[],
  sourceLabel: string,
): string {
  const tables = files
    .filter((file) => /^v\d.*\.json$/.test(file.name))
    .map(readReasonTableFile)
    .sort((a, b) => compareKernels(a.kernel, b.kernel));
  const constants: string[] = [];
  const coreNames = new Map<string, string>();
  const subsystemNames = new Map<string, string>();
  const coreRef = (table: ReasonTableData): string => {
    let ref = coreNames.get(table.sha1);
    if (!ref) {
      ref = `CORE_${table.sha1.slice(0, 8)}`;
      coreNames.set(table.sha1, ref);
      constants.push(`const ${ref}: Names = ${renderNameList(table.names, '  ')};`);
    }
    return ref;
  };
  const subsystemRef = (list: readonly (string | null)[]): string => {
    const key = JSON.stringify(list);
    let ref = subsystemNames.get(key);
    if (!ref) {
      ref = `SUBSYS_${createHash('sha1').update(key).digest('hex').slice(0, 8)}`;
      subsystemNames.set(key, ref);
      constants.push(`const ${ref}: Names = ${renderNameList(list, '  ')};`);
    }
    return ref;
  };
  const entries = tables.map((table) => {
    const subsystems = table.subsystems.map((subsystem) => {
      const reasons = subsystem.reasons === null ? 'null' : subsystemRef(subsystem.reasons);
      return (
        `      { id: ${subsystem.id}, name: ${q(subsystem.name)}, reasons: ${reasons}, ` +
        `sentinels: [${subsystem.sentinels.join(', ')}] },`
      );
    });
    const fields = table.tracepoint.fields.map(
      (field) => `        { name: ${q(field.name)}, type: ${q(field.type)} },`,
    );
    return [
      '  {',
      `    kernel: ${q(table.kernel)},`,
      `    kind: ${q(table.kind)},`,
      `    confidence: ${q(table.confidence)},`,
      `    treeVersion: ${q(table.treeVersion)},`,
      `    source: ${q(table.source)},`,
      `    sha1: ${q(table.sha1)},`,
      `    max: ${table.max},`,
      `    names: ${coreRef(table)},`,
      `    notInTracepoint: [${table.notInTracepoint.join(', ')}],`,
      `    sentinels: [${table.sentinels.join(', ')}],`,
      `    subsystemShift: ${table.subsystemShift ?? 'null'},`,
      `    subsystemMask: ${table.subsystemMask === null ? 'null' : `0x${table.subsystemMask.toString(16)}`},`,
      subsystems.length > 0
        ? `    subsystems: [\n${subsystems.join('\n')}\n    ],`
        : '    subsystems: [],',
      '    tracepoint: {',
      `      printFmt: ${q(table.tracepoint.printFmt)},`,
      `      fields: [\n${fields.join('\n')}\n      ],`,
      '    },',
      '  },',
    ].join('\n');
  });
  return [
    '/**',
    ' * Per-kernel `enum skb_drop_reason` tables. GENERATED FILE — do not edit by hand.',
    ' *',
    ' * Generator: main/kernel/generateReasonTables.ts',
    ` * Source: ${sourceLabel}, ${tables.length} files (vN.json) for kernels`,
    ...wrapWords(tables.map((table) => table.kernel).join(', '), ' *   '),
    ' * Regenerate (from the repository root; dir defaults to ../shared/kernel-reasons):',
    ' *   npx tsx main/kernel/generateReasonTables.ts [dir]',
    ' */',
    "import type { ReasonTableData } from './ReasonTable';",
    '',
    'type Names = readonly (string | null)[];',
    '',
    ...constants.flatMap((constant) => [constant, '']),
    '/**',
    ' * Every known table, ordered by kernel version (mainline X.Y before its X.Y.Z builds).',
    ' *',
    ' * Data only; `listReasonTables` turns it into `ReasonTable` objects. Entries with the same',
    ' * `sha1` share one `names` array.',
    ' */',
    'export const REASON_TABLE_DATA: readonly ReasonTableData[] = [',
    ...entries,
    '];',
    '',
  ].join('\n');
}

/**
 * Reads `dir`, renders and writes `outFile`; returns the number of tables written.
 *
 * Runs under Node at build time only (never imported by the app).
 */
export function generateReasonTables(dir: string, outFile: string, sourceLabel: string): number {
  const files = readdirSync(dir)
    .filter((name) => /^v\d.*\.json$/.test(name))
    .map((name) => ({
      name,
      json: JSON.parse(readFileSync(resolve(dir, name), 'utf8')) as unknown,
    }));
  if (files.length === 0) throw new Error(`${dir}: no vN.json files`);
  writeFileSync(outFile, renderReasonTables(files, sourceLabel));
  return files.length;
}

const here = dirname(fileURLToPath(import.meta.url));
const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(resolve(entry)).href) {
  const repoRoot = resolve(here, '..', '..');
  // An explicit dir is relative to the working directory; the default to the repository root.
  const arg = process.argv[2];
  const dir = arg ? resolve(arg) : resolve(repoRoot, '..', 'shared', 'kernel-reasons');
  const outFile = resolve(here, 'reasonTables.generated.ts');
  const label = relative(repoRoot, dir) || basename(dir);
  const count = generateReasonTables(dir, outFile, label);
  console.warn(`wrote ${relative(repoRoot, outFile)} from ${count} files in ${label}`);
}
