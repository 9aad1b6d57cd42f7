import { describe, expect, it } from 'vitest';
import { bpftraceProgram } from '../../../main/capture/BpftraceBackend';

describe('bpftraceProgram', () => {
  it("adds the kernel filter as a predicate of Dropscope's recommended program", () => {
    const program = bpftraceProgram({ hasRxSk: true, predicate: 'args->reason == 3' });
    expect(program).toContain('tracepoint:skb:kfree_skb\n/args->reason == 3/\n{');
    expect(program).toContain('(uint64)args->rx_sk');
    expect(program).not.toContain('interval:');
  });

  it('uses the portable program without rx_sk and ends on its own after the bound', () => {
    const program = bpftraceProgram({ hasRxSk: false, predicate: null, maxDurationS: 35.2 });
    expect(program).not.toContain('rx_sk');
    expect(program).toContain('interval:s:36\n{\n  exit();\n}');
  });
});
