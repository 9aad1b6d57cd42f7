/**
 * Journey: a file with a few good perf lines and garbage is uploaded through the file input;
 * Dropscope keeps the good lines and lists each skipped one with file:line and why.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { atBothSizes, describeE2e, useDropscope } from './dropscopeBrowser';

const GOOD = [
  ' kworker/u8:3-fl  7243 [000]  6875.302268: skb:kfree_skb: skbaddr=0xffff88810adc8100 rx_sk=(nil) protocol=34525 location=ip6_pkt_discard+0x11 reason: IP_INNOROUTES',
  ' kworker/0:1-mm_ 19186 [000]  6875.313912: skb:kfree_skb: skbaddr=0xffff88810adc8900 rx_sk=(nil) protocol=34525 location=ip6_pkt_discard+0x11 reason: IP_INNOROUTES',
  '              ip 27161 [001]  6875.376682: skb:kfree_skb: skbaddr=0xffff888108ca2f00 rx_sk=(nil) protocol=0 location=netif_napi_add_weight_locked+0x1b2 reason: NOT_SPECIFIED',
  '         swapper     0 [002]  6875.401000: skb:kfree_skb: skbaddr=0xffff888108ca2300 rx_sk=(nil) protocol=2048 location=udp_queue_rcv_one_skb+0x3d1 reason: NO_SOCKET',
];
const GARBAGE = [
  '%%% this is not a trace line %%%',
  '\u0001\u0002 binary-ish junk \u0003',
  'skb:kfree_skb: truncated',
];
const FILE_NAME = 'malformed-drops.txt';

describeE2e('malformed upload in the browser', () => {
  const session = useDropscope(() => []);
  const folder = mkdtempSync(join(tmpdir(), 'dropscope-e2e-'));
  const file = join(folder, FILE_NAME);
  // Good, garbage, good, garbage …: skipped lines are 2, 4, 6 (1-based).
  const lines = [GOOD[0]!, GARBAGE[0]!, GOOD[1]!, GARBAGE[1]!, GOOD[2]!, GARBAGE[2]!, GOOD[3]!];
  writeFileSync(file, `${lines.join('\n')}\n`);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('uploads a malformed file and lists its skipped lines with file:line and why', async () => {
    await atBothSizes(session, 'malformed', async (page, shot) => {
      await page.getByTestId('welcome').or(page.getByTestId('summary-bar')).first().waitFor();
      await page.getByTestId('open-file-input').setInputFiles(file);
      await page
        .getByTestId('summary-file')
        .filter({ hasText: FILE_NAME })
        .first()
        .waitFor({ timeout: 30_000 });
      await page
        .getByTestId('summary-events')
        .filter({ hasText: String(GOOD.length) })
        .waitFor();
      const button = page.getByTestId('skipped-lines-button');
      expect(await button.textContent()).toBe('3 skipped lines');
      await button.click();
      const dialog = page.getByTestId('skipped-lines-dialog');
      await dialog.waitFor();
      expect(await page.getByTestId('skipped-lines-total').textContent()).toContain(
        `3 lines of ${FILE_NAME} could not be read`,
      );
      const items = page.getByTestId('skipped-line-item');
      expect(await items.count()).toBe(3);
      const texts = await items.allTextContents();
      for (const [index, line] of [2, 4, 6].entries()) {
        expect(texts[index]).toContain(`${FILE_NAME}:${line}`);
      }
      // Each row says why the line was skipped (a non-empty reason cell).
      const why = await items.locator('td:nth-child(2)').allTextContents();
      for (const reason of why) expect(reason.trim().length).toBeGreaterThan(3);
      await shot('skipped');
      await page.getByTestId('dialog-close').click();
      await dialog.waitFor({ state: 'detached' });
    });
  });
});
