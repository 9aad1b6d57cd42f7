import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonRecentFiles } from '../../../main/app/jsonRecentFiles';

describe('jsonRecentFiles', () => {
  let folder: string;
  let file: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'dropscope-recent-'));
    file = join(folder, 'nested', 'recent-files.json');
  });

  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('keeps files newest first, without duplicates, up to the limit', () => {
    const recent = jsonRecentFiles(file, { limit: 3 });
    for (const path of ['/a', '/b', '/c', '/a', '/d']) recent.add(path);
    expect(recent.list()).toEqual(['/d', '/a', '/c']);
  });

  it('remembers the files across restarts in a private JSON file', () => {
    jsonRecentFiles(file).add('/traces/one.txt');
    jsonRecentFiles(file).add('/traces/two.txt');
    expect(jsonRecentFiles(file).list()).toEqual(['/traces/two.txt', '/traces/one.txt']);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      version: 1,
      files: ['/traces/two.txt', '/traces/one.txt'],
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('tells the menu after every change, clear included', () => {
    const onChange = vi.fn();
    const recent = jsonRecentFiles(file, { onChange });
    recent.add('/a');
    recent.clear();
    expect(onChange.mock.calls).toEqual([[['/a']], [[]]]);
    expect(jsonRecentFiles(file).list()).toEqual([]);
  });

  it('starts empty and warns when the file is not JSON', () => {
    const broken = join(folder, 'broken.json');
    writeFileSync(broken, '{nope');
    const warn = vi.fn();
    expect(jsonRecentFiles(broken, { warn }).list()).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('not valid JSON'));
  });

  it('ignores entries that are not strings', () => {
    const odd = join(folder, 'odd.json');
    writeFileSync(odd, JSON.stringify({ version: 1, files: ['/a', 3, null, '/b'] }));
    expect(jsonRecentFiles(odd).list()).toEqual(['/a', '/b']);
  });

  it('keeps working in memory when the file cannot be written', () => {
    const warn = vi.fn();
    writeFileSync(join(folder, 'blocker'), '');
    const recent = jsonRecentFiles(join(folder, 'blocker', 'recent.json'), { warn });
    recent.add('/a');
    expect(recent.list()).toEqual(['/a']);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('cannot save the recent files'));
  });
});
