/**
 * Public surface of the kernel room: per-kernel reason tables, choosing and decoding with them,
 * reading kernel artefacts (tracefs format, BTF, kallsyms). Other rooms import only this file.
 */
export type {
  KernelVersion,
  ReasonSubsystem,
  ReasonTable,
  ReasonTableConfidence,
  ReasonTableKind,
  TracepointField,
} from './ReasonTable';
export type { KernelFormatKind, KernelFormatMapping, ReasonMapping } from './ReasonMapping';
export { findReasonTable, listReasonTables, newestMainlineTable } from './listReasonTables';
export {
  compareKernelVersions,
  formatKernelVersion,
  parseKernelRelease,
} from './parseKernelRelease';
export type { ParsedKernelRelease, ReleaseScheme } from './parseKernelRelease';
export { reasonTableFor } from './reasonTableFor';
export type { ReasonTableMatch } from './reasonTableFor';
export { decodeReason, isSubsystemValue, unknownReasonName } from './decodeReason';
export type { DecodedReason, ReasonFlag } from './decodeReason';
export { describeReasonAmbiguity, findAmbiguousReasons } from './findAmbiguousReasons';
export { chooseReasonDecoder } from './chooseReasonDecoder';
export type { ReasonDecoderChoice, ReasonDecoderInput } from './chooseReasonDecoder';
export { allReasonNames, isKnownReasonName } from './allReasonNames';
export { parseTracepointFormat } from './parseTracepointFormat';
export type {
  ParseTracepointFormatOptions,
  TracepointFormat,
  TracepointFormatField,
} from './parseTracepointFormat';
export { readBtfEnums } from './readBtfEnums';
export type { BtfEnum, BtfEnumMember, BtfEnums } from './readBtfEnums';
export { readBtfReasonNames } from './readBtfReasonNames';
export type { BtfReasonNames } from './readBtfReasonNames';
export { loadKernelFormatFile } from './loadKernelFormatFile';
export { KALLSYMS_MAX_OFFSET, Kallsyms } from './Kallsyms';
export type { KallsymsMatch } from './Kallsyms';
