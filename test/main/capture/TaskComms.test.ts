import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MISS_RETRY_MS,
  NAME_TTL_MS,
  parseSavedCmdlines,
  TaskComms,
} from '../../../main/capture/TaskComms';

/** A fake tracefs `saved_cmdlines` and /proc with the given tasks. */
function fakeFiles(saved: string, proc: Record<number, string> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'dropscope-comms-'));
  const savedCmdlines = join(root, 'saved_cmdlines');
  writeFileSync(savedCmdlines, saved);
  const procRoot = join(root, 'proc');
  for (const [pid, comm] of Object.entries(proc)) {
    mkdirSync(join(procRoot, pid), { recursive: true });
    writeFileSync(join(procRoot, pid, 'comm'), `${comm}\n`);
  }
  return {
    savedCmdlines,
    procRoot,
    setSaved: (text: string) => writeFileSync(savedCmdlines, text),
    setProc: (pid: number, comm: string) => {
      mkdirSync(join(procRoot, String(pid)), { recursive: true });
      writeFileSync(join(procRoot, String(pid), 'comm'), `${comm}\n`);
    },
  };
}

describe('parseSavedCmdlines', () => {
  it('reads pid and comm per line, keeping spaces in the comm', () => {
    expect(parseSavedCmdlines('12 python3\n7 Web Content\n\nbad\n')).toEqual(
      new Map([
        [12, 'python3'],
        [7, 'Web Content'],
      ]),
    );
  });
});

describe('TaskComms', () => {
  it('names pid 0 <idle> as ftrace prints it, without reading anything', () => {
    const comms = new TaskComms({ savedCmdlines: null, procRoot: '/nonexistent' });
    expect(comms.get(0, 0)).toBe('<idle>');
    expect(comms.lookups).toBe(0);
  });

  it('takes the name from saved_cmdlines, then from /proc, and looks each pid up once', () => {
    const files = fakeFiles('100 udp-sender\n', { 200: 'ksoftirqd/1', 100: 'renamed' });
    const comms = new TaskComms(files);
    expect(comms.get(100, 1000)).toBe('udp-sender');
    expect(comms.get(200, 1000)).toBe('ksoftirqd/1');
    for (let i = 0; i < 100; i++) comms.get(100, 1001);
    expect(comms.lookups).toBe(2);
  });

  it('leaves a pid found nowhere unknown, and finds it once the kernel has saved it', () => {
    const files = fakeFiles('');
    const comms = new TaskComms(files);
    expect(comms.get(300, 1000)).toBeNull();
    files.setSaved('300 ip\n');
    expect(comms.get(300, 1000 + MISS_RETRY_MS - 1)).toBeNull();
    expect(comms.get(300, 1000 + MISS_RETRY_MS)).toBe('ip');
  });

  it('re-reads saved_cmdlines at most once per clock value for missing pids', () => {
    const files = fakeFiles('');
    const comms = new TaskComms(files);
    expect(comms.get(400, 5000)).toBeNull();
    files.setSaved('401 late\n');
    // Same turn (same clock value): the copy read for pid 400 is used.
    expect(comms.get(401, 5000)).toBeNull();
    expect(comms.get(402, 5001)).toBeNull();
    expect(comms.get(401, 5000 + MISS_RETRY_MS)).toBe('late');
  });

  it('looks a name up again after NAME_TTL_MS (a pid may exec or be reused)', () => {
    const files = fakeFiles('', { 500: 'sh' });
    const comms = new TaskComms(files);
    expect(comms.get(500, 0)).toBe('sh');
    files.setProc(500, 'nc');
    expect(comms.get(500, NAME_TTL_MS - 1)).toBe('sh');
    expect(comms.get(500, NAME_TTL_MS)).toBe('nc');
  });
});
