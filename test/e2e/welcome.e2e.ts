/**
 * Journey: with no file given, the welcome screen's "Open the bundled sample" shows drops.
 */
import { expect, it } from 'vitest';
import { atBothSizes, describeE2e, useDropscope } from './dropscopeBrowser';

describeE2e('welcome screen in the browser', () => {
  const session = useDropscope(() => []);

  it('opens the bundled sample from the welcome screen and shows its drops', async () => {
    await atBothSizes(session, 'welcome', async (page, shot) => {
      const welcome = page.getByTestId('welcome');
      const workspace = page.getByTestId('summary-bar');
      await welcome.or(workspace).first().waitFor({ timeout: 30_000 });
      // The second pass finds the sample still open on the server: close it to get back here.
      while (await page.getByTestId('trace-tab-close').count()) {
        await page.getByTestId('trace-tab-close').first().click();
      }
      await page.getByTestId('welcome-open-sample').waitFor({ timeout: 15_000 });
      await shot('screen');
      await page.getByTestId('welcome-open-sample').click();
      await workspace.waitFor({ timeout: 30_000 });
      await expect
        .poll(async () =>
          Number((await page.getByTestId('summary-events').textContent())?.replaceAll(',', '')),
        )
        .toBeGreaterThan(0);
      await page.getByTestId('timeline-legend-item').first().waitFor({ timeout: 15_000 });
      await page
        .locator('[data-testid="grid"] .ag-row[row-index="0"]')
        .waitFor({ timeout: 15_000 });
      await shot('sample');
    });
  });
});
