/**
 * Journeys on a real perf script sample (382 drops) served by `dropscope serve`: the total, the
 * timeline brush, reason facets, grid sorting, the details panel and following one skbaddr.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { describeReason } from '../../shared/reasons';
import { samplePath } from '../helpers/samples';
import { atBothSizes, describeE2e, useDropscope } from './dropscopeBrowser';

const SAMPLE = 'perf.script.txt';
const TOTAL = 382;
const NO_SOCKET = 33;

/** Text of a locator once it matches `pattern` (waits up to 15 s). */
async function textOnceMatching(locator: Locator, pattern: RegExp): Promise<string> {
  await locator.filter({ hasText: pattern }).first().waitFor({ timeout: 15_000 });
  return (await locator.textContent()) ?? '';
}

/** The filtered total in the summary bar, once it is a number. */
async function shownTotal(page: Page): Promise<number> {
  const text = await textOnceMatching(page.getByTestId('summary-filtered'), /^[\d,]+$/);
  return Number(text.replaceAll(',', ''));
}

/** Waits until the filtered total is `expected` (it is fetched asynchronously). */
async function expectTotal(page: Page, expected: number): Promise<void> {
  await page
    .getByTestId('summary-filtered')
    .filter({ hasText: new RegExp(`^${expected.toLocaleString('en-US')}$`) })
    .waitFor({ timeout: 15_000 });
  expect(await shownTotal(page)).toBe(expected);
}

/** Waits until the sample is open and the timeline and grid have data. */
async function waitForExplorer(page: Page): Promise<void> {
  await page.getByTestId('summary-events').filter({ hasText: '382' }).waitFor({ timeout: 30_000 });
  await page.getByTestId('timeline-legend-item').first().waitFor({ timeout: 15_000 });
  // Rows of the infinite grid show empty cells until their block arrives.
  await expect.poll(() => firstRowCell(page, 'reason'), { timeout: 15_000 }).not.toBe('');
}

/** The grid's first row. */
function firstRow(page: Page): Locator {
  return page.locator('[data-testid="grid"] .ag-row[row-index="0"]');
}

/** Text of a cell of the grid's first row. */
async function firstRowCell(page: Page, column: string): Promise<string> {
  const cell = firstRow(page).locator(`[col-id="${column}"]`);
  if ((await cell.count()) === 0) return '';
  return ((await cell.textContent()) ?? '').trim();
}

/** Makes sure the details panel is shown. */
async function openDetailsPanel(page: Page): Promise<void> {
  const reopen = page.getByTestId('details-open');
  if (await reopen.isVisible()) await reopen.click();
  await page.getByTestId('details').waitFor();
}

/** The skbaddr with the most events in the sample, and its count. */
function busiestSkbaddr(): { skbaddr: string; events: number } {
  const counts = new Map<string, number>();
  for (const match of readFileSync(samplePath(SAMPLE), 'utf8').matchAll(/skbaddr=(0x[0-9a-f]+)/g)) {
    const skbaddr = match[1]!;
    counts.set(skbaddr, (counts.get(skbaddr) ?? 0) + 1);
  }
  const [skbaddr, events] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  return { skbaddr, events };
}

describeE2e('perf script sample in the browser', () => {
  const session = useDropscope(() => [samplePath(SAMPLE)]);

  it('opens the sample given to serve and shows its 382 drops', async () => {
    await atBothSizes(session, 'open', async (page, shot) => {
      await waitForExplorer(page);
      expect(await shownTotal(page)).toBe(TOTAL);
      await expect
        .poll(() => page.getByTestId('grid-row-count').textContent())
        .toBe(`${TOTAL} drops`);
      await shot('explorer');
    });
  });

  it('narrows the total to the range brushed on the timeline', async () => {
    await atBothSizes(session, 'brush', async (page, shot) => {
      await waitForExplorer(page);
      const canvas = page.getByTestId('timeline-canvas');
      const box = (await canvas.boundingBox())!;
      // The brush strip is the canvas's bottom 18 px.
      const y = box.y + box.height - 9;
      await page.mouse.move(box.x + box.width * 0.05, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.4, y, { steps: 8 });
      await page.mouse.up();
      await page.getByTestId('time-range-chip').waitFor();
      await expect.poll(() => shownTotal(page), { timeout: 15_000 }).toBeLessThan(TOTAL);
      const brushed = await shownTotal(page);
      expect(brushed).toBeGreaterThan(0);
      await expect
        .poll(() => page.getByTestId('grid-row-count').textContent())
        .toBe(`${brushed} drops`);
      await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
      await page.getByTestId('timeline-tooltip').waitFor();
      await shot('brushed');

      await canvas.dblclick({ position: { x: box.width / 2, y: box.height / 3 } });
      await expectTotal(page, TOTAL);
      await page.getByTestId('time-range-chip').waitFor({ state: 'detached' });

      // The app's + shortcut zooms the timeline (and must not loop through the panel's keys).
      await page.mouse.click(box.x + box.width / 2, 5);
      await page.keyboard.press('+');
      await page.getByTestId('timeline-reset').click();
      await page.getByTestId('timeline-reset').waitFor({ state: 'detached' });
    });
  });

  it('filters by a reason picked in the facets, and excludes it with alt-click', async () => {
    await atBothSizes(session, 'facets', async (page, shot) => {
      await waitForExplorer(page);
      const noSocket = page.locator(
        '[data-testid="facet-item"][data-field="reason"][data-value="NO_SOCKET"]',
      );
      await noSocket.click();
      await expectTotal(page, NO_SOCKET);
      await expect.poll(() => noSocket.getAttribute('aria-pressed')).toBe('true');
      await expect
        .poll(() => page.getByTestId('grid-row-count').textContent())
        .toBe(`${NO_SOCKET} drops`);
      await expect.poll(() => firstRowCell(page, 'reason')).toContain('NO_SOCKET');
      await shot('included');

      await noSocket.click(); // back to everything
      await expectTotal(page, TOTAL);
      await noSocket.click({ modifiers: ['Alt'] });
      await expectTotal(page, TOTAL - NO_SOCKET);
      await expect(
        page.getByTestId('filter-chip').filter({ hasText: 'NO_SOCKET' }).count(),
      ).resolves.toBe(1);
      await shot('excluded');
    });
  });

  it('sorts the grid by a column header', async () => {
    await atBothSizes(session, 'sort', async (page, shot) => {
      await waitForExplorer(page);
      const before = await firstRowCell(page, 'reason');
      expect(before).toContain('IP_INNOROUTES'); // the first line of the file (time order)
      await page
        .locator('[data-testid="grid"] .ag-header-cell[col-id="reason"] .ag-header-cell-label')
        .click();
      // Ascending by reason name: the alphabetically first reason of the sample comes first.
      await expect
        .poll(() => firstRowCell(page, 'reason'), { timeout: 15_000 })
        .toContain('BPF_CGROUP_EGRESS');
      expect(
        await page
          .locator('[data-testid="grid"] .ag-header-row-column .ag-header-cell[col-id="reason"]')
          .getAttribute('aria-sort'),
      ).toBe('ascending');
      await shot('sorted');
    });
  });

  it('explains the reason of the drop opened in the details', async () => {
    await atBothSizes(session, 'details', async (page, shot) => {
      await waitForExplorer(page);
      await openDetailsPanel(page);
      const reason = (await firstRowCell(page, 'reason')).trim();
      await firstRow(page).locator('[col-id="location"]').click();
      const explanation = page.getByTestId('details-reason');
      await explanation.waitFor();
      expect(await explanation.textContent()).toContain(describeReason(reason).summary);
      expect(await page.getByTestId('details-next-steps').textContent()).toBe(
        describeReason(reason).nextSteps,
      );
      await expect
        .poll(() => page.getByTestId('details-raw-line').textContent())
        .toContain(`reason: ${reason}`);
      await shot('reason');
    });
  });

  it('follows one skbaddr through its events', async () => {
    const { skbaddr, events } = busiestSkbaddr();
    await atBothSizes(session, 'packet', async (page, shot) => {
      await waitForExplorer(page);
      await openDetailsPanel(page);
      const input = page.getByTestId('filter-input');
      await input.fill(`skbaddr == ${skbaddr}`);
      await input.press('Enter');
      await expectTotal(page, events);
      await firstRow(page).locator('[col-id="location"]').click();
      const items = page.getByTestId('details-packet-item');
      await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(events);
      expect(
        await page.locator('[data-testid="details-packet-item"][aria-current="true"]').count(),
      ).toBe(1);

      const other = page
        .locator('[data-testid="details-packet-item"][aria-current="false"]')
        .nth(2);
      const otherId = await other.getAttribute('data-drop-id');
      await other.click();
      await expect
        .poll(() =>
          page
            .locator('[data-testid="details-packet-item"][aria-current="true"]')
            .getAttribute('data-drop-id'),
        )
        .toBe(otherId);
      const fields = await page.getByTestId('details-fields').textContent();
      expect(fields).toContain(skbaddr);
      await shot('followed');
    });
  });
});
