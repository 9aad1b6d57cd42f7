/**
 * Journey: one filter, three ways. Facet clicks (reason NO_SOCKET, protocol IPv4) and the typed
 * expression `reason == NO_SOCKET and protocol == IPv4` give the same total and the same rows in
 * the UI, and the same count as `dropscope summary --filter` on the command line; an invalid
 * expression shows its error inline and leaves the last valid filter applied.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { TraceSummary } from '../../shared/model';
import { runCliCapture } from '../helpers/runCliCapture';
import { samplePath } from '../helpers/samples';
import { describeE2e, saveScreenshot, useDropscope } from './dropscopeBrowser';

const SAMPLE = 'perf.script.txt';
const EXPRESSION = 'reason == NO_SOCKET and protocol == IPv4';

async function cliCount(): Promise<number> {
  const run = await runCliCapture([
    'summary',
    samplePath(SAMPLE),
    '--filter',
    EXPRESSION,
    '--json',
  ]);
  return (JSON.parse(run.stdout) as TraceSummary).events;
}

async function waitForTotal(page: Page, total: number): Promise<void> {
  await page
    .getByTestId('summary-filtered')
    .filter({ hasText: new RegExp(`^${total.toLocaleString('en-US')}$`) })
    .waitFor({ timeout: 15_000 });
}

/** Time and location of the grid's first rows, once they have arrived. */
async function firstRows(page: Page, count: number): Promise<string[]> {
  const cell = (index: number, column: string) =>
    page.locator(`[data-testid="grid"] .ag-row[row-index="${index}"] [col-id="${column}"]`);
  await expect
    .poll(async () => ((await cell(0, 'location').textContent()) ?? '').trim(), { timeout: 15_000 })
    .not.toBe('');
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    rows.push(
      `${(await cell(i, 'time').textContent()) ?? ''} ${(await cell(i, 'location').textContent()) ?? ''}`,
    );
  }
  return rows;
}

describeE2e('one filter by facets, by expression and on the command line', () => {
  const session = useDropscope(() => [samplePath(SAMPLE)]);
  let byFacets: { total: number; rows: string[] } | null = null;

  it('filters by facet clicks to the CLI count', async () => {
    const page = session.page;
    await page
      .getByTestId('summary-events')
      .filter({ hasText: '382' })
      .waitFor({ timeout: 30_000 });
    await page
      .locator('[data-testid="facet-item"][data-field="reason"][data-value="NO_SOCKET"]')
      .click();
    await waitForTotal(page, 33);
    await page
      .locator('[data-testid="facet-item"][data-field="protocol"][data-value="IPv4"]')
      .click();
    const expected = await cliCount();
    await waitForTotal(page, expected);
    byFacets = { total: expected, rows: await firstRows(page, 5) };
    await saveScreenshot(page, 'equivalence-facets');
  });

  it('gives the same rows for the typed expression, and keeps it on an invalid one', async () => {
    const page = session.page;
    await page
      .getByTestId('summary-events')
      .filter({ hasText: '382' })
      .waitFor({ timeout: 30_000 });
    const input = page.getByTestId('filter-input');
    await input.fill(EXPRESSION);
    await input.press('Enter');
    expect(byFacets).not.toBeNull();
    await waitForTotal(page, byFacets?.total ?? -1);
    expect(await firstRows(page, 5)).toEqual(byFacets?.rows);

    await input.fill('reason == NO_SOKET');
    await input.press('Enter');
    await expect
      .poll(async () => (await page.getByTestId('filter-error').textContent()) ?? '')
      .toMatch(/NO_SOCKET/);
    await waitForTotal(page, byFacets?.total ?? -1);
    await saveScreenshot(page, 'equivalence-typed-error');
  });
});
