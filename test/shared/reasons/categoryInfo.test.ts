import { describe, expect, it } from 'vitest';
import { categoryInfo, REASON_CATEGORIES } from '../../../shared/reasons';
import type { ReasonCategory } from '../../../shared/reasons';
import { reasonCatalog } from '../../../shared/reasons/reasonCatalog';

/** Every member of the union, checked by the compiler: a new category must be added here. */
const ALL: Record<ReasonCategory, true> = {
  socket: true,
  tcp: true,
  udp: true,
  ip: true,
  ipv6: true,
  icmp: true,
  netfilter: true,
  qdisc: true,
  device: true,
  tunnel: true,
  neighbour: true,
  memory: true,
  bpf: true,
  xfrm: true,
  bridge: true,
  unix: true,
  wireless: true,
  openvswitch: true,
  can: true,
  other: true,
};

type Rgb = [number, number, number];

function parseHex(colour: string): Rgb {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (!match) throw new Error(`not a #rrggbb colour: ${colour}`);
  return [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)];
}

function linear(channel: number): number {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance. */
function luminance([r, g, b]: Rgb): number {
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG contrast ratio. */
function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** sRGB → CIELAB (D65). */
function lab([r, g, b]: Rgb): Rgb {
  const [lr, lg, lb] = [linear(r), linear(g), linear(b)];
  const x = (0.4124 * lr + 0.3576 * lg + 0.1805 * lb) / 0.95047;
  const y = 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
  const z = (0.0193 * lr + 0.1192 * lg + 0.9505 * lb) / 1.08883;
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** CIE76 colour difference. */
function deltaE(a: Rgb, b: Rgb): number {
  const [la, lb] = [lab(a), lab(b)];
  return Math.hypot(la[0] - lb[0], la[1] - lb[1], la[2] - lb[2]);
}

const WHITE: Rgb = [255, 255, 255];
const DARK: Rgb = [0x12, 0x12, 0x12];

describe('categoryInfo', () => {
  it('lists every category exactly once in REASON_CATEGORIES', () => {
    expect([...REASON_CATEGORIES].sort()).toEqual(Object.keys(ALL).sort());
    expect(new Set(REASON_CATEGORIES).size).toBe(REASON_CATEGORIES.length);
  });

  it('gives every category a label, a #rrggbb colour and a description', () => {
    for (const category of REASON_CATEGORIES) {
      const info = categoryInfo(category);
      expect(info.label.length, category).toBeGreaterThan(1);
      expect(info.colour, category).toMatch(/^#[0-9a-f]{6}$/i);
      expect(info.description.length, category).toBeGreaterThan(10);
    }
  });

  it('uses distinct labels and clearly distinct colours (CIE76 ΔE ≥ 20 between any two)', () => {
    const labels = REASON_CATEGORIES.map((c) => categoryInfo(c).label);
    expect(new Set(labels).size).toBe(labels.length);
    const close: string[] = [];
    for (const [i, a] of REASON_CATEGORIES.entries()) {
      for (const b of REASON_CATEGORIES.slice(i + 1)) {
        const d = deltaE(parseHex(categoryInfo(a).colour), parseHex(categoryInfo(b).colour));
        if (d < 20) close.push(`${a}/${b} ΔE ${d.toFixed(1)}`);
      }
    }
    expect(close).toEqual([]);
  });

  it('keeps every colour readable on white and on a dark background (contrast ≥ 3:1)', () => {
    const poor = REASON_CATEGORIES.filter((c) => {
      const rgb = parseHex(categoryInfo(c).colour);
      return contrast(rgb, WHITE) < 3 || contrast(rgb, DARK) < 3;
    });
    expect(poor).toEqual([]);
  });

  it('uses every category for at least one catalogued reason', () => {
    const used = new Set<ReasonCategory>([
      ...Object.values(reasonCatalog.core).map((e) => e.category),
      ...Object.values(reasonCatalog.subsystems).flatMap((t) =>
        Object.values(t).map((e) => e.category),
      ),
    ]);
    expect(REASON_CATEGORIES.filter((c) => !used.has(c))).toEqual([]);
  });

  it('is frozen so callers cannot recolour the shared legend', () => {
    expect(Object.isFrozen(REASON_CATEGORIES)).toBe(true);
    expect(Object.isFrozen(categoryInfo('tcp'))).toBe(true);
  });
});
