import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_STATE,
  fitWindowState,
  loadWindowState,
  saveWindowState,
} from '../../../main/app/windowState';

const laptop = { x: 0, y: 0, width: 1920, height: 1080 };
const external = { x: 1920, y: 0, width: 2560, height: 1440 };

describe('loadWindowState / saveWindowState', () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'dropscope-window-'));
  });

  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('reads back what was saved', () => {
    const file = join(folder, 'window-state.json');
    saveWindowState(file, { x: 40, y: 30, width: 1200, height: 800, isMaximized: true });
    expect(loadWindowState(file)).toEqual({
      x: 40,
      y: 30,
      width: 1200,
      height: 800,
      isMaximized: true,
    });
  });

  it('uses the default size when the file is missing or broken', () => {
    expect(loadWindowState(join(folder, 'none.json'))).toEqual(DEFAULT_WINDOW_STATE);
    const broken = join(folder, 'broken.json');
    writeFileSync(broken, '{"width": "wide"}');
    expect(loadWindowState(broken)).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('never restores a window smaller than the minimum size', () => {
    const file = join(folder, 'tiny.json');
    writeFileSync(file, JSON.stringify({ width: 10, height: 10, isMaximized: false }));
    expect(loadWindowState(file)).toEqual({ width: 720, height: 480, isMaximized: false });
  });
});

describe('fitWindowState', () => {
  it('keeps a position that is on a display', () => {
    const state = { x: 2000, y: 100, width: 1400, height: 900, isMaximized: false };
    expect(fitWindowState(state, [laptop, external])).toEqual(state);
  });

  it('centers the window when its display was unplugged', () => {
    const state = { x: 2000, y: 100, width: 1400, height: 900, isMaximized: true };
    expect(fitWindowState(state, [laptop])).toEqual({
      width: 1400,
      height: 900,
      isMaximized: true,
    });
  });

  it('centers the window when its title bar is above the screen', () => {
    const state = { x: 100, y: -400, width: 1400, height: 900, isMaximized: false };
    expect(fitWindowState(state, [laptop])).toEqual({
      width: 1400,
      height: 900,
      isMaximized: false,
    });
  });

  it('shrinks a window larger than every display', () => {
    const state = { width: 3000, height: 2000, isMaximized: false };
    expect(fitWindowState(state, [laptop])).toEqual({
      width: 1920,
      height: 1080,
      isMaximized: false,
    });
  });
});
