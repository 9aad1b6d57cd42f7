/**
 * Journey: a bpftrace trace prints reason numbers; choosing another kernel's table in the kernel
 * picker re-decodes them, and the reason names change everywhere.
 */
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { samplePath } from '../helpers/samples';
import { atBothSizes, describeE2e, useDropscope } from './dropscopeBrowser';

/** Reason number 54 of bpftrace-rich.txt (18 drops) under each table. */
const ON_6_18_44 = 'IP_OUTNOROUTES';
const ON_6_12 = 'SECURITY_HOOK';

/** Picks a table in the kernel picker and waits until the summary bar names it. */
async function chooseKernel(page: Page, kernel: string): Promise<void> {
  await page.getByTestId('summary-kernel').click();
  const dialog = page.getByTestId('kernel-picker');
  await dialog.waitFor();
  await page.getByTestId('kernel-picker-search').fill(kernel);
  await page.locator(`[data-testid="kernel-picker-option"][data-kernel="${kernel}"]`).click();
  await dialog.waitFor({ state: 'detached', timeout: 15_000 });
  await page.getByTestId('summary-kernel').filter({ hasText: kernel }).waitFor({ timeout: 15_000 });
}

/** Whether the reason facet lists a reason (with its count). */
function reasonFacet(page: Page, reason: string) {
  return page.locator(`[data-testid="facet-item"][data-field="reason"][data-value="${reason}"]`);
}

describeE2e('kernel picker in the browser', () => {
  const session = useDropscope(() => [samplePath('bpftrace-rich.txt')]);

  it('re-decodes reason numbers with the table chosen in the kernel picker', async () => {
    await atBothSizes(session, 'kernel', async (page, shot) => {
      await page
        .getByTestId('summary-events')
        .filter({ hasText: '405' })
        .waitFor({ timeout: 30_000 });

      await chooseKernel(page, '6.18.44');
      await reasonFacet(page, ON_6_18_44).waitFor({ timeout: 15_000 });
      expect(await reasonFacet(page, ON_6_18_44).textContent()).toContain('18');
      expect(await reasonFacet(page, ON_6_12).count()).toBe(0);

      await page.getByTestId('summary-kernel').click();
      await page.getByTestId('kernel-picker-search').fill('6.12');
      await expect
        .poll(() => page.getByTestId('kernel-picker-option').count())
        .toBeGreaterThanOrEqual(2);
      await shot('picker');
      await page.keyboard.press('Escape');
      await page.getByTestId('kernel-picker').waitFor({ state: 'detached' });

      await chooseKernel(page, '6.12');
      await reasonFacet(page, ON_6_12).waitFor({ timeout: 15_000 });
      expect(await reasonFacet(page, ON_6_12).textContent()).toContain('18');
      expect(await reasonFacet(page, ON_6_18_44).count()).toBe(0);
      // The names the grid and timeline show change too.
      await page
        .locator(`[data-testid="timeline-legend-item"][data-key="${ON_6_12}"]`)
        .waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('summary-events').textContent()).toBe('405');
      await shot('redecoded');
    });
  });
});
