/**
 * What the end-to-end journeys share: preconditions (Chromium, samples, the build), a
 * `dropscope serve` child process per test file, one headless Chromium driven by playwright-core,
 * and screenshots into test-results/e2e/.
 *
 * Tests never skip silently in CI: when Chromium or the samples are missing, each suite becomes
 * one failing test naming what is missing when `CI` is set, and is skipped with the reason in its
 * name elsewhere.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, it } from 'vitest';
import { hasSamples, repoRoot, samplesDir } from '../helpers/samples';

/** Chromium to drive (Debian's package by default). */
export const chromiumPath = process.env.DROPSCOPE_CHROMIUM ?? '/usr/bin/chromium';

/** Whether we run under CI (where a missing precondition is a failure, not a skip). */
export const isCi = ['1', 'true', 'yes'].includes((process.env.CI ?? '').toLowerCase());

/** Where screenshots go (gitignored). */
export const screenshotDir = resolve(repoRoot, 'test-results', 'e2e');

/** The built command line. */
export const cliPath = resolve(repoRoot, 'out', 'cli', 'dropscope.js');

/** The window size of the journeys. */
export const DEFAULT_VIEWPORT = { width: 1280, height: 800 } as const;
/** The size of the second screenshot pass. */
export const LARGE_VIEWPORT = { width: 1920, height: 1080 } as const;

/** What keeps the journeys from running here, or null. */
export function missingPrecondition(): string | null {
  if (!existsSync(chromiumPath))
    return `Chromium is not installed at ${chromiumPath} (apt-get install -y chromium, or set DROPSCOPE_CHROMIUM)`;
  if (!hasSamples) return `the sample traces are missing (${samplesDir})`;
  return null;
}

/**
 * `describe` for a journey file: runs `body` when the preconditions hold; otherwise fails (CI) or
 * skips with the reason in the suite name.
 */
export function describeE2e(name: string, body: () => void): void {
  const missing = missingPrecondition();
  if (!missing) {
    describe(name, body);
  } else if (isCi) {
    describe(name, () => {
      it('has Chromium and the samples (CI must run the browser tests)', () => {
        throw new Error(`end-to-end tests cannot run: ${missing}`);
      });
    });
  } else {
    console.warn(`e2e: skipping "${name}": ${missing}`);
    describe.skip(`${name} — skipped: ${missing}`, body);
  }
}

/** A running `dropscope serve`. */
export interface ServeProcess {
  /** The URL it printed, token included. */
  readonly url: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Stops it (SIGTERM, then SIGKILL after 10 s) and waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `node out/cli/dropscope.js serve FILES… --port 0` and resolves with the URL it prints.
 *
 * Fails with the server's output when it exits first or prints nothing within 60 s.
 */
export function startServe(
  files: readonly string[],
  args: readonly string[] = [],
): Promise<ServeProcess> {
  if (!existsSync(cliPath))
    return Promise.reject(
      new Error(`${cliPath} is missing: run npm run build first (npm run test:e2e does)`),
    );
  const child: ChildProcess = spawn(
    process.execPath,
    [cliPath, 'serve', ...files, '--port', '0', ...args],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(() => {
      void stop();
      rejectStart(new Error(`dropscope serve printed no URL within 60 s:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /Dropscope is serving on (\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveStart({ url: match[1], output: () => output, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      rejectStart(
        new Error(`dropscope serve exited (${signal ?? code}) before serving:\n${output}`),
      );
    });
  });
}

/** Launches the headless Chromium the journeys drive. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
}

/** One test file's server, browser and page (see `useDropscope`). */
export interface DropscopeSession {
  readonly server: ServeProcess;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught page errors and console errors seen since the last check. */
  readonly errors: string[];
  /** Opens the app again in a fresh page of this size (default 1280×800). */
  reopen(size?: { width: number; height: number }): Promise<Page>;
}

/**
 * Registers hooks that start `dropscope serve FILES…` and Chromium before the file's tests, open
 * the app at 1280×800 before each test, check that the page logged no error after each, and stop
 * everything after the file. Call inside `describeE2e`.
 */
export function useDropscope(
  files: () => readonly string[],
  args: readonly string[] = [],
): DropscopeSession {
  let server: ServeProcess | null = null;
  let browser: Browser | null = null;
  let context: BrowserContext | null = null;
  let page: Page | null = null;
  const errors: string[] = [];

  const open = async (
    size: { width: number; height: number } = DEFAULT_VIEWPORT,
  ): Promise<Page> => {
    if (!browser || !server) throw new Error('the session is not started');
    await context?.close();
    context = await browser.newContext({ viewport: size, deviceScaleFactor: 1 });
    page = await context.newPage();
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const where = message.location().url;
      // Chromium asks for /favicon.ico on its own; a missing one is not the app's error.
      if (where.endsWith('/favicon.ico')) return;
      errors.push(`console error: ${message.text()}${where ? ` (${where})` : ''}`);
    });
    await page.goto(server.url);
    return page;
  };

  beforeAll(async () => {
    server = await startServe(files(), args);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });
  beforeEach(async () => {
    errors.length = 0;
    await open();
  });
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page && !page.isClosed()) {
      const name = context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      await saveScreenshot(page, `FAILED-${name}`).catch(() => undefined);
    }
    const seen = errors.splice(0);
    if (seen.length > 0) throw new Error(`the page reported errors:\n${seen.join('\n')}`);
  });

  const need = <T>(value: T | null, what: string): T => {
    if (value === null) throw new Error(`${what} is not started (beforeAll failed?)`);
    return value;
  };
  return {
    get server() {
      return need(server, 'the server');
    },
    get browser() {
      return need(browser, 'the browser');
    },
    get context() {
      return need(context, 'the browser context');
    },
    get page() {
      return need(page, 'the page');
    },
    errors,
    reopen: open,
  };
}

/**
 * Saves a screenshot of the page as test-results/e2e/NAME-WIDTHxHEIGHT.png and returns its path.
 */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const size = page.viewportSize() ?? DEFAULT_VIEWPORT;
  const path = resolve(screenshotDir, `${name}-${size.width}x${size.height}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/**
 * Runs a journey at 1280×800 (the page `useDropscope` opened) and again in a fresh page at
 * 1920×1080, so both layouts are exercised; `shot(label)` saves `NAME-LABEL-WxH.png`.
 */
export async function atBothSizes(
  session: DropscopeSession,
  name: string,
  journey: (page: Page, shot: (label: string) => Promise<string>) => Promise<void>,
): Promise<void> {
  for (const size of [DEFAULT_VIEWPORT, LARGE_VIEWPORT]) {
    const page = size === DEFAULT_VIEWPORT ? session.page : await session.reopen(size);
    await journey(page, (label) => saveScreenshot(page, `${name}-${label}`));
  }
}
