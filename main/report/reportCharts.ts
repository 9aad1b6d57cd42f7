/**
 * The report's charts as inline SVG strings: a stacked bar timeline by reason and a horizontal
 * bar chart of the top reasons.
 *
 * Both print legibly in black and white: timeline series carry a distinct texture (white strokes
 * clipped to the bars) over their category colour, and the legend inside the SVG repeats the
 * texture next to each name; the
 * bar chart labels every bar with its name, count, share and category. No scripts, no external
 * references; clip-path ids are prefixed per chart so several charts can share one page.
 */
import { categoryInfo } from '../../shared/reasons';
import { assertNever } from '../../shared/util';
import type { CombinedCount, ReportReason, ReportTimeline } from './ReportData';
import {
  escapeHtml,
  formatAxisValue,
  formatCount,
  formatDuration,
  formatPercent,
  niceStep,
} from './reportText';

/** The texture drawn over a series' colour, by series index; the last one marks `other`. */
type Texture =
  | 'solid'
  | 'rising'
  | 'horizontal'
  | 'falling'
  | 'vertical'
  | 'crosshatch'
  | 'grid'
  | 'wide-rising'
  | 'wide-falling';

const TEXTURES: readonly Texture[] = [
  'solid',
  'rising',
  'horizontal',
  'falling',
  'vertical',
  'crosshatch',
  'grid',
  'wide-rising',
];

/** Texture of series `index` (the `other` remainder always gets wide falling stripes). */
function textureOf(index: number, isOther: boolean): Texture {
  return isOther ? 'wide-falling' : (TEXTURES[index % TEXTURES.length] ?? 'solid');
}

/**
 * White strokes covering the box `x, y, w, h` in `texture`, as one SVG element (empty for solid).
 * Drawn clipped to the series' bars.
 *
 * Motivation: SVG `<pattern>` fills made Chromium's PDF of the 382-event sample 4.3 MB, and
 * dotted textures (round-capped dash arrays) 790 KB, as each tile or dot is emitted on its own;
 * straight strokes under a clip path keep it at ~150 KB, the size without textures.
 */
function textureStrokes(texture: Texture, x: number, y: number, w: number, h: number): string {
  const step = 5;
  const d: string[] = [];
  const lines = (dx: number, dy: number, spacing = step): void => {
    // Parallel lines of direction (dx, dy) `spacing` apart, covering the box.
    if (dx === 0)
      for (let at = x + spacing / 2; at < x + w; at += spacing)
        d.push(`M${round(at)} ${round(y)}v${round(h)}`);
    else if (dy === 0)
      for (let at = y + spacing / 2; at < y + h; at += spacing)
        d.push(`M${round(x)} ${round(at)}h${round(w)}`);
    else
      for (let at = x - h; at < x + w; at += spacing * 1.4)
        d.push(
          dy < 0
            ? `M${round(at)} ${round(y + h)}l${round(h)} ${round(-h)}`
            : `M${round(at)} ${round(y)}l${round(h)} ${round(h)}`,
        );
  };
  let style = 'stroke="#fff" stroke-width="1.3"';
  switch (texture) {
    case 'solid':
      return '';
    case 'rising':
      lines(1, -1);
      break;
    case 'falling':
      lines(1, 1);
      break;
    case 'horizontal':
      lines(1, 0);
      break;
    case 'vertical':
      lines(0, 1);
      break;
    case 'crosshatch':
      lines(1, -1);
      lines(1, 1);
      style = 'stroke="#fff" stroke-width="0.9"';
      break;
    case 'grid':
      lines(1, 0);
      lines(0, 1);
      style = 'stroke="#fff" stroke-width="0.9"';
      break;
    case 'wide-rising':
      lines(1, -1, 9);
      style = 'stroke="#fff" stroke-width="3"';
      break;
    case 'wide-falling':
      lines(1, 1, 9);
      style = 'stroke="#fff" stroke-width="3"';
      break;
    default:
      return assertNever(texture);
  }
  return `<path d="${d.join('')}" fill="none" ${style}/>`;
}

/** A filled shape with its texture clipped to it; `clipId` must be unique on the page. */
function texturedShape(
  shape: string,
  colour: string,
  texture: Texture,
  clipId: string,
  box: { x: number; y: number; w: number; h: number },
  className: string,
): string {
  const fill = `<path d="${shape}" fill="${colour}" class="${className}"/>`;
  const strokes = textureStrokes(texture, box.x, box.y, box.w, box.h);
  if (strokes === '') return fill;
  return `${fill}<clipPath id="${clipId}"><path d="${shape}"/></clipPath><g clip-path="url(#${clipId})">${strokes}</g>`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function round(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/**
 * A stacked bar chart of drops per bucket by reason, with axes, tick labels and a legend.
 *
 * `id` prefixes the pattern ids (unique per page). Width 720 user units, scales to its box.
 */
export function timelineSvg(timeline: ReportTimeline, id: string, caption: string): string {
  const width = 720;
  const left = 52;
  const right = 12;
  const top = 14;
  const plotHeight = 190;
  const plotWidth = width - left - right;
  const axisBottom = top + plotHeight;
  const legendColumns = 3;
  const legendRows = Math.ceil(timeline.series.length / legendColumns);
  const legendTop = axisBottom + 46;
  const height = legendTop + legendRows * 18 + 4;

  const series = timeline.series;
  const colours = series.map((s) => categoryInfo(s.category).colour);
  const yStep = niceStep(Math.max(1, timeline.peakBucketEvents) / 4);
  const yMax = Math.max(yStep, Math.ceil(timeline.peakBucketEvents / yStep) * yStep);
  const scaleY = plotHeight / yMax;
  const barWidth = plotWidth / timeline.buckets;
  const gap = barWidth >= 4 ? 1 : 0;

  const parts: string[] = [];
  parts.push(
    `<svg class="chart timeline" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${id}-title">`,
    `<title id="${id}-title">${escapeHtml(caption)}</title>`,
  );

  // Y grid and labels.
  for (let value = 0; value <= yMax + yStep / 2; value += yStep) {
    const y = axisBottom - value * scaleY;
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${round(y)}" y2="${round(y)}" class="grid"/>`,
      `<text x="${left - 6}" y="${round(y + 4)}" text-anchor="end" class="tick">${formatCount(value)}</text>`,
    );
  }
  parts.push(
    `<text transform="translate(13 ${top + plotHeight / 2}) rotate(-90)" text-anchor="middle" class="axis-title">drops per ${escapeHtml(formatDuration(timeline.bucketNs))}</text>`,
  );

  // Bars: each bucket stacks the series, largest series at the bottom; one path per series (not
  // one rect per bar), so each texture is drawn once.
  const barPaths = series.map(() => [] as string[]);
  const w = round(Math.max(0.5, barWidth - gap));
  for (let bucket = 0; bucket < timeline.buckets; bucket++) {
    let y = axisBottom;
    const x = round(left + bucket * barWidth);
    series.forEach((s, index) => {
      const count = s.counts[bucket] ?? 0;
      if (count === 0) return;
      const h = count * scaleY;
      y -= h;
      barPaths[index]?.push(`M${x} ${round(y)}h${w}v${round(h)}h-${w}z`);
    });
  }
  barPaths.forEach((path, index) => {
    const s = series[index];
    if (path.length === 0 || !s) return;
    parts.push(
      texturedShape(
        path.join(''),
        colours[index] ?? '#808080',
        textureOf(index, s.isOther),
        `${id}-c${index}`,
        { x: left, y: top, w: plotWidth, h: plotHeight },
        'series',
      ),
    );
  });

  // X axis: time since the first drop, in the unit that suits the span.
  const spanNs = timeline.buckets * timeline.bucketNs;
  const unit =
    spanNs >= 2e9
      ? { ns: 1e9, name: 'seconds' }
      : spanNs >= 2e6
        ? { ns: 1e6, name: 'milliseconds' }
        : { ns: 1e3, name: 'microseconds' };
  const span = spanNs / unit.ns;
  const xStep = niceStep(span / 8);
  parts.push(
    `<line x1="${left}" x2="${width - right}" y1="${axisBottom}" y2="${axisBottom}" class="axis"/>`,
  );
  for (let k = 0; k * xStep <= span * (1 + 1e-9); k++) {
    const x = left + ((k * xStep) / span) * plotWidth;
    parts.push(
      `<line x1="${round(x)}" x2="${round(x)}" y1="${axisBottom}" y2="${axisBottom + 4}" class="axis"/>`,
      `<text x="${round(x)}" y="${axisBottom + 16}" text-anchor="middle" class="tick">${formatAxisValue(k * xStep, xStep)}</text>`,
    );
  }
  parts.push(
    `<text x="${left + plotWidth / 2}" y="${axisBottom + 33}" text-anchor="middle" class="axis-title">${unit.name} since the first drop</text>`,
  );

  // Legend: pattern swatch, name, count.
  const columnWidth = plotWidth / legendColumns;
  series.forEach((s, index) => {
    const column = index % legendColumns;
    const row = Math.floor(index / legendColumns);
    const x = left + column * columnWidth;
    const y = legendTop + row * 18;
    const name = s.isOther ? 'other reasons' : s.key;
    parts.push(
      texturedShape(
        `M${round(x)} ${y}h14v12h-14z`,
        colours[index] ?? '#808080',
        textureOf(index, s.isOther),
        `${id}-l${index}`,
        { x, y, w: 14, h: 12 },
        'swatch',
      ),
      `<text x="${round(x + 19)}" y="${y + 10}" class="legend">${escapeHtml(truncate(name, 26))} <tspan class="muted">${formatCount(s.total)}</tspan></text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/**
 * A horizontal bar chart of the top reasons, each bar labelled with its name, count, share and
 * category (readable without colour). Width 720 user units.
 */
export function reasonBarsSvg(
  reasons: readonly CombinedCount[],
  infoOf: (name: string) => ReportReason | undefined,
  id: string,
  caption: string,
): string {
  const rowHeight = 19;
  const width = 720;
  const longest = Math.max(8, ...reasons.map((r) => Math.min(34, r.key.length)));
  const labelWidth = Math.min(260, longest * 7.2 + 14);
  const valueWidth = 235;
  const barArea = width - labelWidth - valueWidth;
  const top = 4;
  const height = top + reasons.length * rowHeight + 4;
  const max = Math.max(1, ...reasons.map((r) => r.count));
  const parts: string[] = [
    `<svg class="chart bars" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${id}-title">`,
    `<title id="${id}-title">${escapeHtml(caption)}</title>`,
  ];
  reasons.forEach((reason, index) => {
    const y = top + index * rowHeight;
    const info = infoOf(reason.key);
    const category = categoryInfo(info?.category ?? 'other');
    const barLength = Math.max(1, (reason.count / max) * barArea);
    parts.push(
      `<text x="${round(labelWidth - 8)}" y="${y + 13}" text-anchor="end" class="bar-label">${escapeHtml(truncate(reason.key, 34))}</text>`,
      `<rect x="${round(labelWidth)}" y="${y + 3}" width="${round(barLength)}" height="${rowHeight - 6}" fill="${category.colour}" class="bar"/>`,
      `<text x="${round(labelWidth + barLength + 6)}" y="${y + 13}" class="bar-value">${formatCount(reason.count)} · ${formatPercent(reason.percent)} · <tspan class="muted">${escapeHtml(category.label)}</tspan></text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
