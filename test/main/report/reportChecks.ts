/**
 * Checks shared by the report tests: external references in HTML, and reading the figures back
 * from the `data-*` attributes the HTML report puts on its rows.
 */

/** Every external reference in `html` (with a little context): http(s) URLs, `//`, `src=`, non-fragment `href=`, `url(` or `@import`. */
export function externalReferences(html: string): string[] {
  const pattern = /https?:|\/\/|\bsrc\s*=|\bhref\s*=\s*(?!["']?#)|\burl\(\s*(?!["']?#)|@import/gi;
  return [...html.matchAll(pattern)].map((match) =>
    html.slice(Math.max(0, match.index - 30), match.index + 30),
  );
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** `value → N` of every element carrying `data-<name>="value" data-count="N"` in `html`. */
export function countsByAttribute(html: string, name: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const pattern = new RegExp(`data-${name}="([^"]*)" data-count="(\\d+)"`, 'g');
  for (const match of html.matchAll(pattern))
    counts[unescapeHtml(match[1] ?? '')] = Number(match[2]);
  return counts;
}

/** Reason × location cells of the breakdown tables: `reason\u0000location → count`. */
export function breakdownCells(html: string): Map<string, number> {
  const cells = new Map<string, number>();
  const pattern = /data-reason="([^"]*)" data-location="([^"]*)" data-count="(\d+)"/g;
  for (const match of html.matchAll(pattern))
    cells.set(
      `${unescapeHtml(match[1] ?? '')}\u0000${unescapeHtml(match[2] ?? '')}`,
      Number(match[3]),
    );
  return cells;
}

/** The HTML of one `<section id="…">` of the report. */
export function sectionHtml(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  if (start < 0) return '';
  return html.slice(start, html.indexOf('</section>', start));
}

/** The ids of the report's `<section>`s, in document order. */
export function sectionIds(html: string): string[] {
  return [...html.matchAll(/<section id="([^"]+)">/g)].map((match) => match[1] ?? '');
}

/** The HTML report's section ids, in the order the report promises. */
export const SECTION_ORDER = [
  'analysed',
  'totals',
  'timeline',
  'reasons',
  'locations',
  'breakdown',
  'explanations',
  'quality',
  'filter',
];

/** `Reason → drops` of a Markdown table (`| \`NAME\` | 1,234 | 8.6% | … |`). */
export function markdownCounts(markdown: string, header: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${header} |`));
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const match = /^\| `([^`]*)` \| ([\d,]+) \|/.exec(line);
    if (match)
      counts[(match[1] ?? '').replace(/\\\|/g, '|')] = Number((match[2] ?? '').replace(/,/g, ''));
  }
  return counts;
}

/**
 * Tags and attributes of `html` that could load or run anything: `script`, `img`, `iframe`,
 * `link`, `object`, `embed` elements, `src` and `on…` attributes, and `href`s that are not
 * `#anchors`. Attribute values are read as quoted strings, so escaped trace text inside a value
 * does not count.
 */
export function unsafeMarkup(html: string): string[] {
  const found: string[] = [];
  const tag =
    /<([a-zA-Z][\w-]*)((?:\s+[^\s"'=<>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/?>/g;
  const attribute = /([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  for (const match of html.matchAll(tag)) {
    const name = (match[1] ?? '').toLowerCase();
    if (['script', 'img', 'iframe', 'link', 'object', 'embed', 'base'].includes(name))
      found.push(`<${name}>`);
    for (const attr of (match[2] ?? '').matchAll(attribute)) {
      const key = (attr[1] ?? '').toLowerCase();
      const value = attr[2] ?? attr[3] ?? attr[4] ?? '';
      if (key === 'src' || key.startsWith('on')) found.push(`${name} ${key}=`);
      if ((key === 'href' || key === 'xlink:href') && !value.startsWith('#'))
        found.push(`${name} href=${value}`);
    }
  }
  return found;
}
