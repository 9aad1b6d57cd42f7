/**
 * Loads the file given with `--kernel-format`: raw BTF (`/sys/kernel/btf/vmlinux`) or a tracefs
 * format file (`/sys/kernel/tracing/events/skb/kfree_skb/format`), told apart by content.
 */
import { readFileSync } from 'node:fs';
import type { Result } from '../../shared/util';
import { err, ok } from '../../shared/util';
import type { KernelFormatMapping } from './ReasonMapping';
import { parseTracepointFormat } from './parseTracepointFormat';
import { readBtfReasonNames } from './readBtfReasonNames';

function startsWithBtfMagic(bytes: Uint8Array): boolean {
  // 0xeB9F stored little-endian (9f eb) or big-endian (eb 9f).
  return (
    bytes.length >= 2 &&
    ((bytes[0] === 0x9f && bytes[1] === 0xeb) || (bytes[0] === 0xeb && bytes[1] === 0x9f))
  );
}

/**
 * Reads `path` and returns its reason mapping with the kind of file it was.
 *
 * Synchronous (the files are small: a format file is a few KiB, vmlinux BTF about 5 MiB); call
 * it on the engine worker. Every error message starts with the path and says what was expected.
 */
export function loadKernelFormatFile(path: string): Result<KernelFormatMapping> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return err(`${path}: cannot read the kernel format file (${reason})`);
  }
  if (startsWithBtfMagic(bytes)) {
    const btf = readBtfReasonNames(bytes);
    if (!btf.ok) return err(`${path}: ${btf.error}`);
    return ok({ names: btf.value.names, source: `BTF ${path}`, kind: 'btf' });
  }
  if (bytes.includes(0)) {
    return err(
      `${path}: binary file that is not BTF; expected /sys/kernel/btf/vmlinux or ` +
        'events/skb/kfree_skb/format from tracefs',
    );
  }
  const text = new TextDecoder().decode(bytes);
  const parsed = parseTracepointFormat(text, { source: `format file ${path}` });
  if (!parsed.ok) {
    return err(
      `${path}: ${parsed.error}; expected /sys/kernel/tracing/events/skb/kfree_skb/format ` +
        'or /sys/kernel/btf/vmlinux',
    );
  }
  const { reasons, unresolvedReasonNames } = parsed.value;
  if (!reasons) {
    return err(
      `${path}: the format has no __print_symbolic(REC->reason, …) list; expected the ` +
        'skb:kfree_skb format of a 5.17 or later kernel',
    );
  }
  if (reasons.names.size === 0) {
    const detail =
      unresolvedReasonNames.length > 0
        ? `its ${unresolvedReasonNames.length} entries name enum members instead of numbers`
        : 'the list is empty';
    return err(`${path}: no numbered reasons (${detail}); pass the kernel's BTF instead`);
  }
  return ok({ names: reasons.names, source: reasons.source, kind: 'kernel-format-file' });
}
