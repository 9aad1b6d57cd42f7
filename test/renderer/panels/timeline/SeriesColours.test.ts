import { describe, expect, it } from 'vitest';
import { categoryInfo } from '../../../../shared/reasons';
import {
  NONE_COLOUR,
  OTHER_COLOUR,
  REASON_SHADES,
  SERIES_PALETTE,
  SeriesColours,
  seriesLabel,
  shadeColour,
  stableHash,
} from '../../../../renderer/panels/timeline/SeriesColours';

const socketShades = REASON_SHADES.map((amount) =>
  shadeColour(categoryInfo('socket').colour, amount),
);

describe('shadeColour', () => {
  it('mixes towards white for positive amounts and black for negative ones', () => {
    expect(shadeColour('#808080', 0)).toBe('#808080');
    expect(shadeColour('#808080', 1)).toBe('#ffffff');
    expect(shadeColour('#808080', -1)).toBe('#000000');
    expect(shadeColour('#000000', 0.5)).toBe('#808080');
  });
});

describe('stableHash', () => {
  it('is deterministic and spreads different keys', () => {
    expect(stableHash('NO_SOCKET')).toBe(stableHash('NO_SOCKET'));
    expect(stableHash('NO_SOCKET')).not.toBe(stableHash('SOCKET_FILTER'));
  });
});

describe('SeriesColours', () => {
  it('gives the first reason of a category the category colour itself', () => {
    const colours = new SeriesColours('reason');
    expect(colours.colourOf('NO_SOCKET')).toBe(categoryInfo('socket').colour);
    expect(colours.colourOf('TCP_CSUM')).toBe(categoryInfo('tcp').colour);
    expect(socketShades).toContain(colours.colourOf('SOCKET_FILTER'));
  });

  it('gives two reasons of one category different shades', () => {
    const colours = new SeriesColours('reason');
    const a = colours.colourOf('NO_SOCKET');
    const b = colours.colourOf('SOCKET_FILTER');
    const c = colours.colourOf('SOCKET_RCVBUFF');
    expect(new Set([a, b, c]).size).toBe(3);
    expect(socketShades).toEqual(expect.arrayContaining([a, b, c]));
  });

  it('assigns the same colours to the same keys seen in the same order', () => {
    const keys = ['NO_SOCKET', 'SOCKET_FILTER', 'TCP_CSUM', 'UNKNOWN(77)'];
    const first = new SeriesColours('reason');
    const second = new SeriesColours('reason');
    expect(keys.map((k) => first.colourOf(k))).toEqual(keys.map((k) => second.colourOf(k)));
  });

  it('keeps a colour once assigned', () => {
    const colours = new SeriesColours('comm');
    const before = colours.colourOf('nginx');
    for (let i = 0; i < 30; i++) colours.colourOf(`proc${i}`);
    expect(colours.colourOf('nginx')).toBe(before);
  });

  it('uses greys for the other and (none) series and the palette for other fields', () => {
    const colours = new SeriesColours('cpu');
    expect(colours.colourOf('other')).toBe(OTHER_COLOUR);
    expect(colours.colourOf('(none)')).toBe(NONE_COLOUR);
    const cpus = ['0', '1', '2', '3'].map((k) => colours.colourOf(k));
    expect(new Set(cpus).size).toBe(4);
    for (const colour of cpus) expect(SERIES_PALETTE).toContain(colour);
  });
});

describe('seriesLabel', () => {
  it('names the aggregate and missing values and prefixes CPUs', () => {
    expect(seriesLabel('reason', 'other')).toBe('Other');
    expect(seriesLabel('reason', '(none)')).toBe('(no reason)');
    expect(seriesLabel('cpu', '3')).toBe('CPU 3');
    expect(seriesLabel('protocol', 'IPv4')).toBe('IPv4');
  });
});
