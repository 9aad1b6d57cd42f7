/**
 * Journey: export exactly the filtered view from the UI in browser mode, and read the capture
 * statistics under that filter. Opens the real perf script sample (382 drops), filters by the
 * NO_SOCKET facet (33 drops), downloads the CSV and the HTML report through the Export menu and
 * checks the files, then opens Capture info and checks its per-CPU counts against the sample's
 * own lines.
 */
import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { samplePath } from '../helpers/samples';
import { describeE2e, saveScreenshot, useDropscope } from './dropscopeBrowser';

const SAMPLE = 'perf.script.txt';
const NO_SOCKET = 33;

/** NO_SOCKET drops per CPU, counted from the sample's text (independently of Dropscope). */
function noSocketPerCpu(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(samplePath(SAMPLE), 'utf8').split('\n')) {
    if (!line.includes('skb:kfree_skb:') || !/reason: NO_SOCKET\b/.test(line)) continue;
    const cpu = /\[(\d+)\]/.exec(line)?.[1];
    if (cpu === undefined) continue;
    const key = String(Number(cpu));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Opens the sample's explorer and filters by the NO_SOCKET facet. */
async function filterNoSocket(page: Page): Promise<void> {
  await page.getByTestId('summary-events').filter({ hasText: '382' }).waitFor({ timeout: 30_000 });
  await page
    .locator('[data-testid="facet-item"][data-field="reason"][data-value="NO_SOCKET"]')
    .click();
  await page
    .getByTestId('summary-filtered')
    .filter({ hasText: new RegExp(`^${NO_SOCKET}$`) })
    .waitFor({ timeout: 15_000 });
}

/** Exports through the Export menu and resolves with the browser's download. */
async function exportAs(page: Page, format: string): Promise<Download> {
  await page.getByTestId('export-button').click();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    page.getByTestId(`export-${format}`).click(),
  ]);
  await page.getByTestId('export-download-link').waitFor({ timeout: 15_000 });
  return download;
}

/** The downloaded file's text. */
async function textOf(download: Download): Promise<string> {
  const path = await download.path();
  if (!path) throw new Error(`download ${download.suggestedFilename()} failed`);
  return readFileSync(path, 'utf8');
}

describeE2e('exporting the filtered view', () => {
  const session = useDropscope(() => [samplePath(SAMPLE)]);

  it('downloads CSV and HTML of exactly the NO_SOCKET drops', async () => {
    const page = session.page;
    await filterNoSocket(page);

    const csv = await exportAs(page, 'csv');
    expect(csv.suggestedFilename()).toBe('perf.script.csv');
    const lines = (await textOf(csv)).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^# dropscope: /);
    expect(lines[0]).toContain('NO_SOCKET');
    const rows = lines.slice(2);
    expect(rows).toHaveLength(NO_SOCKET);
    expect(rows.every((row) => row.includes('NO_SOCKET'))).toBe(true);
    expect(await page.getByTestId('export-result').textContent()).toContain(`${NO_SOCKET} rows`);

    const html = await exportAs(page, 'html');
    expect(html.suggestedFilename()).toBe('perf.script-report.html');
    const report = await textOf(html);
    expect(report).toMatch(/^<!DOCTYPE html>/i);
    expect(report).toContain('reason in {NO_SOCKET}');
    await saveScreenshot(page, 'export-done');
  });

  it('shows the per-CPU counts of the filtered view in Capture info', async () => {
    const page = session.page;
    await filterNoSocket(page);
    await page.getByTestId('capture-info-button').click();
    const dialog = page.getByTestId('capture-info-dialog');
    await dialog.getByTestId('capture-info-cpu').first().waitFor({ timeout: 15_000 });
    await expect
      .poll(async () => (await dialog.getByTestId('capture-info-events').textContent()) ?? '')
      .toContain(String(NO_SOCKET));

    const shown = new Map<string, number>();
    for (const row of await dialog.getByTestId('capture-info-cpu').all()) {
      const cpu = (await row.getAttribute('data-cpu')) ?? '';
      const events = (await row.getByTestId('capture-info-cpu-events').textContent()) ?? '';
      shown.set(cpu, Number(events.replaceAll(',', '')));
    }
    expect(shown).toEqual(noSocketPerCpu());
    expect([...shown.values()].reduce((a, b) => a + b, 0)).toBe(NO_SOCKET);
    expect(await dialog.getByTestId('capture-info-host').textContent()).toContain('Host');
    await saveScreenshot(page, 'capture-info');
  });
});
