/**
 * Colours of the timeline's series.
 *
 * Reasons take their category's colour (`categoryInfo`), in a shade per reason so that two
 * reasons of one category are told apart: the first reason of a category to be seen (the series
 * come largest first) gets the category colour itself — the colour the facets and the grid show —
 * and later ones the next free shade. Other fields take colours from a fixed palette, the slot
 * chosen by a hash of the key (moving to the next free slot when taken). Deterministic for the
 * same keys in the same order, and a key keeps its colour for the life of the assigner, so
 * zooming (which changes which series are in the top N) never recolours a series.
 */
import type { EventField } from '../../../shared/model';
import { categoryInfo, describeReason } from '../../../shared/reasons';

/** The aggregated series the store adds past the top N. */
export const OTHER_SERIES_KEY = 'other';
/** The series of events without a value for the split field. */
export const NONE_SERIES_KEY = '(none)';

/** Colour of the aggregated `other` series: lighter than the greys of category `other`. */
export const OTHER_COLOUR = '#c2c2c2';
/** Colour of the `(none)` series. */
export const NONE_COLOUR = '#a0a0a0';

/** Palette for fields other than reason (Tableau 10 plus two), each readable on light and dark. */
export const SERIES_PALETTE: readonly string[] = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#499894',
  '#d37295',
  '#86bcb6',
];

/**
 * Shades of a category colour: 0 is the colour itself, positive mixes with white, negative with
 * black. Ordered so that neighbours in the list differ the most.
 */
export const REASON_SHADES: readonly number[] = [0, 0.4, -0.35, 0.65, -0.55, 0.2];

/** 32-bit FNV-1a hash of a string (deterministic across runs and platforms). */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Mixes a `#rrggbb` colour with white (`amount` > 0) or black (`amount` < 0); `amount` in [-1, 1].
 */
export function shadeColour(hex: string, amount: number): string {
  const value = Number.parseInt(hex.slice(1, 7), 16);
  const channels = [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
  const target = amount >= 0 ? 255 : 0;
  const weight = Math.min(Math.abs(amount), 1);
  return (
    '#' +
    channels
      .map((channel) => Math.round(channel + (target - channel) * weight))
      .map((channel) => channel.toString(16).padStart(2, '0'))
      .join('')
  );
}

/** Picks `preferred` if free, else the next free slot (wrapping), else `preferred`. */
function claimSlot(used: Set<number>, preferred: number, slots: number): number {
  for (let step = 0; step < slots; step++) {
    const slot = (preferred + step) % slots;
    if (!used.has(slot)) {
      used.add(slot);
      return slot;
    }
  }
  return preferred;
}

/**
 * Assigns and remembers series colours for one split field (see the file overview).
 *
 * Create a new one when the trace, filter or split field changes. `colourOf` is O(1) for a key
 * seen before.
 */
export class SeriesColours {
  private readonly colours = new Map<string, string>();
  private readonly usedShades = new Map<string, Set<number>>();
  private readonly usedPalette = new Set<number>();

  constructor(readonly field: EventField) {}

  /** The colour of a series key (assigned on first sight). */
  colourOf(key: string): string {
    const known = this.colours.get(key);
    if (known) return known;
    const colour = this.assign(key);
    this.colours.set(key, colour);
    return colour;
  }

  private assign(key: string): string {
    if (key === OTHER_SERIES_KEY) return OTHER_COLOUR;
    if (key === NONE_SERIES_KEY) return NONE_COLOUR;
    if (this.field === 'reason') {
      // Unknown names and undecoded numbers fall in category `other` (greys), shaded like the rest.
      const info = describeReason(key);
      let used = this.usedShades.get(info.category);
      if (!used) this.usedShades.set(info.category, (used = new Set()));
      const shades = REASON_SHADES.length;
      const slot = claimSlot(used, 0, shades);
      return shadeColour(categoryInfo(info.category).colour, REASON_SHADES[slot] ?? 0);
    }
    const slots = SERIES_PALETTE.length;
    const slot = claimSlot(this.usedPalette, stableHash(key) % slots, slots);
    return SERIES_PALETTE[slot] ?? OTHER_COLOUR;
  }
}

/** The legend label of a series key under a split field. */
export function seriesLabel(field: EventField, key: string): string {
  if (key === OTHER_SERIES_KEY) return 'Other';
  if (key === NONE_SERIES_KEY) return field === 'reason' ? '(no reason)' : '(none)';
  if (field === 'cpu') return `CPU ${key}`;
  return key;
}
