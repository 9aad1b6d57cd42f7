// @vitest-environment jsdom
/**
 * The desktop-integration files the deb and rpm install: the capture helper's polkit action
 * (assets/packaging/linux/dev.dropscope.capture.policy) and the trace MIME types
 * (assets/packaging/linux/dropscope-mime.xml). Parsed with the DOM's strict XML parser (jsdom).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Configuration } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRACING_MAGIC } from '../../main/ingest/traceDat/TracingData';
import { hasSamples, samplePath } from '../helpers/samples';
import {
  asList,
  linuxInstallDir,
  loadBuilderConfig,
  repoRoot,
  wrapperResourcesFolder,
} from './builderConfig';

const POLICY = resolve(repoRoot, 'assets/packaging/linux/dev.dropscope.capture.policy');
const MIME = resolve(repoRoot, 'assets/packaging/linux/dropscope-mime.xml');
const MIME_NAMESPACE = 'http://www.freedesktop.org/standards/shared-mime-info';

/** Parses XML strictly; fails the test with the parser's message when it is not well-formed. */
function parseXml(file: string): Document {
  const document = new DOMParser().parseFromString(readFileSync(file, 'utf8'), 'application/xml');
  const error = document.getElementsByTagName('parsererror')[0];
  expect(error?.textContent ?? null, `${file} is not well-formed`).toBeNull();
  return document;
}

/** The bytes a shared-mime-info string `value` stands for (`\xNN` escapes, else Latin-1). */
function magicBytes(value: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const escape = /^\\x([0-9a-fA-F]{2})/.exec(value.slice(i));
    if (escape) {
      bytes.push(parseInt(escape[1]!, 16));
      i += 3;
    } else {
      bytes.push(value.charCodeAt(i));
    }
  }
  return bytes;
}

describe('the polkit action of the capture helper', () => {
  let config: Configuration;
  let policy: Document;
  beforeAll(async () => {
    config = await loadBuilderConfig();
    policy = parseXml(POLICY);
  });

  const annotation = (key: string): string | null =>
    policy.querySelector(`action[id="dev.dropscope.capture"] > annotate[key="${key}"]`)
      ?.textContent ?? null;

  it('is a well-formed policyconfig document declaring dev.dropscope.capture', () => {
    expect(policy.doctype?.name).toBe('policyconfig');
    expect(policy.documentElement.nodeName).toBe('policyconfig');
    const action = policy.querySelector('action[id="dev.dropscope.capture"]');
    expect(action?.querySelector('description')?.textContent).toBe(
      'Capture packet drops from the running kernel',
    );
  });

  it('asks an active session for an administrator once in a while and others every time', () => {
    const defaults = policy.querySelector('action[id="dev.dropscope.capture"] > defaults');
    expect(defaults?.querySelector('allow_active')?.textContent).toBe('auth_admin_keep');
    expect(defaults?.querySelector('allow_inactive')?.textContent).toBe('auth_admin');
    expect(defaults?.querySelector('allow_any')?.textContent).toBe('auth_admin');
  });

  it('lets pkexec run exactly the wrapper where the deb/rpm install it, without a display', () => {
    const folder = wrapperResourcesFolder(config);
    expect(folder).not.toBeNull();
    expect(annotation('org.freedesktop.policykit.exec.path')).toBe(
      `${linuxInstallDir(config)}/resources/${folder}/dropscope`,
    );
    expect(annotation('org.freedesktop.policykit.exec.allow_gui')).toBe('false');
  });
});

describe('the MIME types of perf.data and trace.dat', () => {
  let config: Configuration;
  let mime: Document;
  beforeAll(async () => {
    config = await loadBuilderConfig();
    mime = parseXml(MIME);
  });

  const typeElement = (type: string): Element | null =>
    [...mime.getElementsByTagNameNS(MIME_NAMESPACE, 'mime-type')].find(
      (element) => element.getAttribute('type') === type,
    ) ?? null;
  const magicValues = (type: string): string[] =>
    [...(typeElement(type)?.getElementsByTagNameNS(MIME_NAMESPACE, 'match') ?? [])].map(
      (match) => match.getAttribute('value') ?? '',
    );
  const globs = (type: string): string[] =>
    [...(typeElement(type)?.getElementsByTagNameNS(MIME_NAMESPACE, 'glob') ?? [])].map(
      (glob) => glob.getAttribute('pattern') ?? '',
    );

  it('is a shared-mime-info document whose every type the desktop entry lists', () => {
    expect(mime.documentElement.namespaceURI).toBe(MIME_NAMESPACE);
    const defined = [...mime.getElementsByTagNameNS(MIME_NAMESPACE, 'mime-type')].map((element) =>
      element.getAttribute('type'),
    );
    expect(defined).toEqual([
      'application/x-perf-data',
      'application/x-trace-cmd-dat',
      'application/x-ndjson',
    ]);
    expect(asList(config.linux?.mimeTypes)).toEqual(expect.arrayContaining(defined));
  });

  it("recognises perf.data by perf's magic in either byte order, and by its default names", () => {
    expect(magicValues('application/x-perf-data')).toEqual(['PERFILE2', '2ELIFREP']);
    expect(globs('application/x-perf-data')).toEqual(['perf.data', 'perf.data.old', 'perf*.data']);
  });

  it("recognises trace.dat by the magic Dropscope's reader checks, not by a bare .dat", () => {
    const [value] = magicValues('application/x-trace-cmd-dat');
    expect(magicBytes(value ?? '')).toEqual([...TRACING_MAGIC]);
    expect(globs('application/x-trace-cmd-dat')).not.toContain('*.dat');
  });

  it.skipIf(!hasSamples)(
    'matches the first bytes of the real perf.data and trace.dat samples',
    () => {
      const head = (name: string, length: number): number[] => [
        ...readFileSync(samplePath(name)).subarray(0, length),
      ];
      expect(magicBytes('PERFILE2')).toEqual(head('perf.data', 8));
      const [traceDat] = magicValues('application/x-trace-cmd-dat');
      expect(magicBytes(traceDat!)).toEqual(head('trace-cmd.dat', TRACING_MAGIC.length));
    },
  );

  const updateMimeDatabase = spawnSync('update-mime-database', ['-v']).error === undefined;
  it.skipIf(!updateMimeDatabase)(
    'compiles with update-mime-database (skipped where shared-mime-info is not installed)',
    () => {
      const root = mkdtempSync(join(tmpdir(), 'dropscope-mime-'));
      try {
        mkdirSync(join(root, 'packages'));
        writeFileSync(join(root, 'packages', 'dropscope.xml'), readFileSync(MIME));
        const run = spawnSync('update-mime-database', [root], { encoding: 'utf8' });
        // It reports a bad element or attribute on stderr and still exits 0.
        expect(run.stderr).not.toMatch(/error|warning|unknown|invalid/i);
        expect(run.status).toBe(0);
        expect(existsSync(join(root, 'magic'))).toBe(true);
        const compiledGlobs = readFileSync(join(root, 'globs2'), 'utf8');
        expect(compiledGlobs).toContain('application/x-perf-data:perf.data');
        expect(compiledGlobs).toContain('application/x-trace-cmd-dat:trace.dat');
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});
