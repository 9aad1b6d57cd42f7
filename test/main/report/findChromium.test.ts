import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChromium, NO_CHROMIUM_MESSAGE } from '../../../main/report';

const dir = mkdtempSync(join(tmpdir(), 'dropscope-chromium-'));
const fake = join(dir, 'chromium-browser');
writeFileSync(fake, '#!/bin/sh\n');
chmodSync(fake, 0o755);
const notExecutable = join(dir, 'google-chrome');
writeFileSync(notExecutable, '');
const missing = join(dir, 'missing', 'chromium');

describe('findChromium', () => {
  it('takes DROPSCOPE_CHROMIUM first', () => {
    expect(findChromium({ DROPSCOPE_CHROMIUM: fake, PATH: '' }, missing)).toEqual({
      ok: true,
      value: fake,
    });
  });

  it('refuses a DROPSCOPE_CHROMIUM that is not executable, naming it', () => {
    const found = findChromium({ DROPSCOPE_CHROMIUM: notExecutable, PATH: dir }, missing);
    expect(found.ok).toBe(false);
    if (!found.ok) expect(found.error).toContain(`DROPSCOPE_CHROMIUM=${notExecutable}`);
  });

  it('searches chromium, chromium-browser and google-chrome on PATH', () => {
    expect(findChromium({ PATH: dir }, missing)).toEqual({ ok: true, value: fake });
  });

  it('says how to get one when none is found', () => {
    expect(findChromium({ PATH: join(dir, 'nothing') }, missing)).toEqual({
      ok: false,
      error: NO_CHROMIUM_MESSAGE,
    });
    expect(NO_CHROMIUM_MESSAGE).toBe(
      'no headless Chromium found for PDF output (install chromium, or set DROPSCOPE_CHROMIUM); the HTML report renders the same content',
    );
  });
});
