/**
 * The main window's remembered size, position and maximized state: a JSON file in the user-data
 * folder, read at start and written when the window closes. Pure Node (no electron): the screen
 * geometry comes in as plain rectangles, so this is unit-tested.
 */
import { readFileSync } from 'node:fs';
import { writeJsonAtomically } from './writeJsonAtomically';

/** A rectangle in screen coordinates (Electron's Rectangle). */
export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What is remembered. Without x/y the window is centered. */
export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  isMaximized: boolean;
}

/** First start: a window large enough for the grid and the timeline. */
export const DEFAULT_WINDOW_STATE: WindowState = { width: 1400, height: 900, isMaximized: false };

/** The smallest size the window is allowed to take. */
export const MIN_WINDOW_SIZE = { width: 720, height: 480 };

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** Reads the state; the default when the file is missing or not a valid state. */
export function loadWindowState(file: string): WindowState {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  if (typeof data !== 'object' || data === null || !isNumber(data.width) || !isNumber(data.height))
    return { ...DEFAULT_WINDOW_STATE };
  const state: WindowState = {
    width: Math.max(MIN_WINDOW_SIZE.width, Math.round(data.width)),
    height: Math.max(MIN_WINDOW_SIZE.height, Math.round(data.height)),
    isMaximized: data.isMaximized === true,
  };
  if (isNumber(data.x) && isNumber(data.y)) {
    state.x = Math.round(data.x);
    state.y = Math.round(data.y);
  }
  return state;
}

/** Writes the state (atomically). */
export function saveWindowState(file: string, state: WindowState): void {
  writeJsonAtomically(file, state);
}

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * The state adjusted to the displays now attached: no larger than the largest work area, and
 * centered (x/y dropped) when too little of it would be visible (a monitor was unplugged).
 */
export function fitWindowState(state: WindowState, workAreas: readonly Rectangle[]): WindowState {
  if (workAreas.length === 0) return state;
  const width = Math.min(state.width, Math.max(...workAreas.map((area) => area.width)));
  const height = Math.min(state.height, Math.max(...workAreas.map((area) => area.height)));
  const fitted: WindowState = { width, height, isMaximized: state.isMaximized };
  if (state.x === undefined || state.y === undefined) return fitted;
  const { x, y } = state;
  const bounds = { x, y, width, height };
  // Enough of the window must be on one display to grab it, its title bar included.
  const visible = workAreas.some((area) => {
    const shared = overlap(bounds, area);
    return shared.width >= 100 && shared.height >= 50 && y >= area.y - 10;
  });
  return visible ? { ...fitted, x, y } : fitted;
}
