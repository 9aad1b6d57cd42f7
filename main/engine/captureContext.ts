/**
 * The capture context of this machine: the system host, plus what the kernel room supplies — the
 * running kernel's reason numbering from its tracepoint format file, and a kallsyms symbolizer.
 * One composition for the CLI's `capture` command and the engine's live captures.
 */
import { readFile } from 'node:fs/promises';
import { ok } from '../../shared/util';
import { systemCaptureHost, type CaptureContext, type CaptureHost } from '../capture';
import { Kallsyms, loadKernelFormatFile } from '../kernel';

/** The context over `host` (the running machine by default). */
export function captureContext(host: CaptureHost = systemCaptureHost()): CaptureContext {
  return {
    host,
    loadReasonNames: (path) => {
      const loaded = loadKernelFormatFile(path);
      return loaded.ok ? ok({ names: loaded.value.names, source: loaded.value.source }) : loaded;
    },
    loadSymbolizer: async () => {
      try {
        const kallsyms = Kallsyms.parse(await readFile('/proc/kallsyms', 'utf8'));
        return (address) => kallsyms.symbolize(address);
      } catch {
        return null;
      }
    },
  };
}
