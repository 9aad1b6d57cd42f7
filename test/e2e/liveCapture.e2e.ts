/**
 * Journey: record live drops from the browser-mode UI. `dropscope serve --capture` runs as root
 * here, so the helper starts directly. The user opens Record…, picks the tracefs backend, types
 * a filter, starts; drops are made on loopback (UDP to a closed port: NO_SOCKET) and arrive in
 * the capture bar, the summary and the grid while recording; Stop ends the capture and keeps the
 * drops; Save capture downloads them as Dropscope JSON lines.
 *
 * Needs root and tracefs besides Chromium: skipped with the reason in its title otherwise.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { tracefsCapturePreconditions, TRACEFS_ROOT } from '../helpers/capturePreconditions';
import { udpToClosedPort } from '../helpers/makeDrops';
import { describeE2e, saveScreenshot, useDropscope } from './dropscopeBrowser';

const DROPS = 150;
const pre = tracefsCapturePreconditions();

function dropscopeInstances(): string[] {
  return readdirSync(join(TRACEFS_ROOT, 'instances')).filter((n) => n.startsWith('dropscope-'));
}

/** The number in a counter's text (`12,345 drops` → 12345). */
async function counter(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).textContent()) ?? '';
  return Number(/[\d,]+/.exec(text)?.[0].replace(/,/g, '') ?? Number.NaN);
}

async function waitForCounter(page: Page, testId: string, atLeast: number): Promise<number> {
  const deadline = Date.now() + 30_000;
  let value = await counter(page, testId);
  while (!(value >= atLeast)) {
    if (Date.now() > deadline) throw new Error(`${testId} stayed at ${value} (< ${atLeast})`);
    await page.waitForTimeout(100);
    value = await counter(page, testId);
  }
  return value;
}

const journey = () => {
  const session = useDropscope(() => [], ['--capture']);

  it('records drops as they happen, stops, and saves the capture', async () => {
    const page = session.page;
    const before = dropscopeInstances();
    await page.getByTestId('welcome').waitFor();
    await page.getByTestId('record-button').click();
    const dialog = page.getByTestId('record-dialog');
    await dialog.getByTestId('record-backends').waitFor({ timeout: 30_000 });
    await dialog.locator('[data-testid="record-backend-tracefs"] input').check();
    await dialog.getByTestId('record-filter').fill('reason == NO_SOCKET and protocol == IPv4');
    await saveScreenshot(page, 'live-capture-dialog');
    await dialog.getByTestId('record-start').click();

    const bar = page.getByTestId('capture-bar');
    await bar.getByTestId('capture-state').filter({ hasText: 'Recording' }).waitFor({
      timeout: 30_000,
    });
    expect(await bar.getByTestId('capture-filter').textContent()).toMatch(
      /in the kernel \(tracefs event filter\): .*reason == \d+ && protocol == 0x0800/,
    );
    expect(dropscopeInstances().length).toBe(before.length + 1);

    await udpToClosedPort(DROPS);
    const received = await waitForCounter(page, 'capture-received', DROPS);
    expect(await bar.getByTestId('capture-reasons').textContent()).toContain('NO_SOCKET');
    // The grid and the summary fill while recording, without a reload.
    // (A row may show before its cells are filled: wait for the text, not the row.)
    await page
      .locator('.ag-row [col-id="reason"]')
      .filter({ hasText: 'NO_SOCKET' })
      .first()
      .waitFor({ timeout: 15_000 });
    await waitForCounter(page, 'summary-events', DROPS);
    await page.getByTestId('timeline-follow').waitFor();
    expect(await page.getByTestId('timeline-follow').getAttribute('aria-pressed')).toBe('true');
    await saveScreenshot(page, 'live-capture-recording');

    await bar.getByTestId('capture-stop').click();
    await bar.getByTestId('capture-state').filter({ hasText: 'Capture stopped' }).waitFor({
      timeout: 30_000,
    });
    const final = await counter(page, 'capture-received');
    expect(final).toBeGreaterThanOrEqual(received);
    expect(await counter(page, 'summary-events')).toBe(final);
    expect(dropscopeInstances()).toEqual(before);
    await saveScreenshot(page, 'live-capture-stopped');

    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      bar.getByTestId('capture-save').click(),
    ]);
    const path = await download.path();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0] ?? '{}') as { source?: { meta?: Record<string, unknown> } };
    expect(header.source?.meta?.captureBackend).toBe('tracefs');
    const events = lines.slice(1).filter((line) => line.includes('"time_ns"'));
    expect(events).toHaveLength(final);
    expect(events.every((line) => line.includes('"reason":"NO_SOCKET"'))).toBe(true);
  });
};

if (pre.ok) describeE2e('live capture from the browser-mode UI', journey);
else describe.skip(`live capture from the browser-mode UI — ${pre.why}`, journey);
