/**
 * Packs the Linux app as `npm run package` does, with a stand-in for the Electron binary (which
 * cannot be downloaded on the build VM): electron-builder makes linux-unpacked from the built app,
 * then prepares the deb and rpm (desktop entry, icons, filled-in maintainer scripts) and is
 * stopped where it would run fpm, through its `effectiveOptionComputed` hook. The stand-in runs
 * Node when ELECTRON_RUN_AS_NODE is set, so the packed command line really runs. Output goes to
 * a temporary folder outside the repository, so nothing resolves from the repository's
 * node_modules. Needs the built app and command line (npm run build:app && npm run build:cli).
 */
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { extractFile, listPackage } from '@electron/asar';
import { Arch, build, Platform, type Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceInfo } from '../../shared/contract';
import { WorkerEngineClient } from '../../main/engine';
import {
  linuxInstallDir,
  LINUX_ICON_SIZES,
  loadBuilderConfig,
  repoRoot,
  wrapperResourcesFolder,
} from './builderConfig';

const BUILT = [
  'out/main/main.js',
  'out/main/engine.worker.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
  'out/cli/dropscope.js',
  'out/cli/engine.worker.js',
].map((file) => resolve(repoRoot, file));
const isBuilt = BUILT.every((file) => existsSync(file));

/** Events in assets/samples/sample-perf-script.txt (the bundled sample). */
const SAMPLE_EVENTS = 382;
const SAMPLE_FILE = 'sample-perf-script.txt';

/** What electron-builder would hand fpm for one package. */
interface FpmInput {
  args: string[];
  desktopEntry: string;
  afterInstall: string;
  afterRemove: string;
}

function argAfter(args: readonly string[], flag: string): string {
  const index = args.indexOf(flag);
  expect(index, flag).toBeGreaterThan(-1);
  return args[index + 1]!;
}

/** Every file under a folder, relative to it, with `/` separators. */
function walk(folder: string, prefix = ''): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? walk(join(folder, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

/** `node_modules/NAME/...` (or `@scope/name`) → the package name, else null. */
function packageOf(path: string): string | null {
  const match = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  return match ? match[1]! : null;
}

/**
 * The packages a built module loads at run time: static imports (rollup puts each on its own line
 * at the top), dynamic `import("…")`, `require("…")` and `createRequire(…)("…")`; without Node
 * built-ins and electron (the binary provides it).
 */
function bareImports(code: string): string[] {
  const patterns = [
    /^import\s(?:[^;"']*?\sfrom\s*)?["']([^"']+)["'];?\s*$/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
    /\bcreateRequire\([^)]*\)\(\s*["']([^"']+)["']\s*\)/g,
  ];
  const builtins = new Set(builtinModules);
  const names = patterns.flatMap((pattern) =>
    [...code.matchAll(pattern)].map((match) => match[1]!),
  );
  return names
    .filter((name) => !name.startsWith('.') && !name.startsWith('/') && !name.startsWith('node:'))
    .map((name) => (name.startsWith('@') ? name.split('/').slice(0, 2) : name.split('/', 1)))
    .map((parts) => parts.join('/'))
    .filter((name) => !builtins.has(name) && name !== 'electron');
}

/** Key=value pairs of a desktop entry's [Desktop Entry] group. */
function desktopKeys(entry: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const line of entry.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (match) keys.set(match[1]!, match[2]!);
  }
  return keys;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!isBuilt)(
  'the packed Linux app (needs npm run build:app && npm run build:cli)',
  () => {
    let config: Configuration;
    let root: string;
    let appOutDir: string;
    let resources: string;
    let asar: string;
    /** Paths in app.asar, without the leading `/`, files and folders. */
    let inAsar: Set<string>;
    /** Files in app.asar.unpacked, relative to it. */
    let unpacked: string[];
    const fpm = new Map<'deb' | 'rpm', FpmInput>();

    beforeAll(async () => {
      config = await loadBuilderConfig();
      root = mkdtempSync(join(tmpdir(), 'dropscope-pack-'));
      // The stand-in for Electron's binary: Node when run as Node, nothing else.
      const electronDist = join(root, 'electron-dist');
      mkdirSync(electronDist);
      writeFileSync(
        join(electronDist, 'electron'),
        `#!/bin/sh\nif [ -n "$ELECTRON_RUN_AS_NODE" ]; then exec '${process.execPath}' "$@"; fi\n` +
          `echo 'stand-in for Electron: only ELECTRON_RUN_AS_NODE=1 works' >&2\nexit 1\n`,
        { mode: 0o755 },
      );
      const electronPackage = JSON.parse(
        readFileSync(resolve(repoRoot, 'node_modules/electron/package.json'), 'utf8'),
      ) as { version: string };

      await build({
        projectDir: repoRoot,
        targets: Platform.LINUX.createTarget(['deb', 'rpm'], Arch.x64),
        config: {
          electronDist,
          electronVersion: electronPackage.version,
          directories: { output: join(root, 'dist') },
        },
        // FpmTarget calls this with [fpm arguments, desktop file] just before running fpm; true
        // stops it there. The maintainer scripts are temporary files: read them now.
        effectiveOptionComputed: (options: unknown) => {
          if (!Array.isArray(options) || !Array.isArray(options[0])) return Promise.resolve(false);
          const [args, desktopFile] = options as [string[], string];
          const target = argAfter(args, '--package').endsWith('.rpm') ? 'rpm' : 'deb';
          fpm.set(target, {
            args,
            desktopEntry: readFileSync(desktopFile, 'utf8'),
            afterInstall: readFileSync(argAfter(args, '--after-install'), 'utf8'),
            afterRemove: readFileSync(argAfter(args, '--after-remove'), 'utf8'),
          });
          return Promise.resolve(true);
        },
      });

      appOutDir = join(root, 'dist', 'linux-unpacked');
      resources = join(appOutDir, 'resources');
      asar = join(resources, 'app.asar');
      inAsar = new Set(
        listPackage(asar, { isPack: false }).map((path) => path.replace(/^[/\\]/, '')),
      );
      unpacked = walk(join(resources, 'app.asar.unpacked'));
    }, 180_000);

    afterAll(() => {
      if (root) rmSync(root, { recursive: true, force: true });
    });

    describe('app.asar', () => {
      it('holds the main entry package.json declares, the preload and the UI', () => {
        const packed = JSON.parse(extractFile(asar, 'package.json').toString('utf8')) as {
          main: string;
          desktopName?: string;
        };
        expect(inAsar).toContain(packed.main);
        expect(packed.main).toBe('out/main/main.js');
        expect(inAsar).toContain('out/preload/index.cjs');
        expect(inAsar).toContain('out/renderer/index.html');
        expect(packed.desktopName).toBe(`${config.executableName}.desktop`);
      });

      it('leaves out tests, sources, source maps, the benchmark and development packages', () => {
        const everything = [...inAsar, ...unpacked];
        expect(everything.filter((path) => /(^|\/)test\//.test(path) && !packageOf(path))).toEqual(
          [],
        );
        expect(everything.filter((path) => path.endsWith('.map'))).toEqual([]);
        expect(everything.filter((path) => /\.(ts|tsx|mts|cts)$/.test(path))).toEqual([]);
        expect(everything.filter((path) => path.startsWith('out/cli/bench'))).toEqual([]);
        const project = JSON.parse(readFileSync(resolve(repoRoot, 'package.json'), 'utf8')) as {
          devDependencies: Record<string, string>;
        };
        const packages = new Set(everything.map(packageOf).filter((name) => name !== null));
        expect(Object.keys(project.devDependencies).filter((name) => packages.has(name))).toEqual(
          [],
        );
      });

      it('carries exactly the packages the built code loads at run time, and what they need', () => {
        const code = [...inAsar].filter((path) => path.startsWith('out/') && path.endsWith('.js'));
        expect(code.length).toBeGreaterThan(3);
        const needed = new Set(
          code.flatMap((path) => bareImports(extractFile(asar, path).toString('utf8'))),
        );
        // Guards the scan itself: these are loaded at run time today.
        expect([...needed]).toEqual(expect.arrayContaining(['fzstd', 'xz-decompress', 'zod']));
        const carried = new Set(
          [...inAsar].map((path) => packageOf(`${path}/`)).filter((name) => name !== null),
        );
        expect([...needed].filter((name) => !carried.has(name))).toEqual([]);
        // Close over the carried packages' own dependencies.
        const closure = new Set(needed);
        for (const name of closure) {
          const manifest = JSON.parse(
            extractFile(asar, `node_modules/${name}/package.json`).toString('utf8'),
          ) as { dependencies?: Record<string, string> };
          for (const dependency of Object.keys(manifest.dependencies ?? {})) {
            expect(carried, `${name} needs ${dependency}`).toContain(dependency);
            closure.add(dependency);
          }
        }
        expect([...carried].filter((name) => !closure.has(name))).toEqual([]);
      });
    });

    describe('app.asar.unpacked', () => {
      it('holds the command line, both engine workers and the packages they load', () => {
        expect(unpacked).toEqual(
          expect.arrayContaining([
            'package.json',
            'out/cli/dropscope.js',
            'out/cli/engine.worker.js',
            'out/main/engine.worker.js',
            'out/renderer/index.html',
            'node_modules/fzstd/package.json',
            'node_modules/ws/package.json',
            'node_modules/xz-decompress/package.json',
            'node_modules/zod/package.json',
            'node_modules/playwright-core/package.json',
          ]),
        );
      });

      it('runs the command line through the wrapper, reached by a symlink as /usr/bin/dropscope', () => {
        const folder = wrapperResourcesFolder(config);
        const wrapper = join(resources, folder ?? 'missing', 'dropscope');
        expect(isExecutable(wrapper)).toBe(true);
        const bin = join(root, 'usr', 'bin');
        mkdirSync(bin, { recursive: true });
        symlinkSync(wrapper, join(bin, 'dropscope'));
        const run = spawnSync(
          join(bin, 'dropscope'),
          ['summary', join(resources, 'samples', SAMPLE_FILE), '--json'],
          { encoding: 'utf8', cwd: root },
        );
        expect(run.stderr).toBe('');
        expect(run.status).toBe(0);
        expect(JSON.parse(run.stdout)).toMatchObject({
          format: 'perf-script',
          events: SAMPLE_EVENTS,
        });
      });

      it.each(['out/main/engine.worker.js', 'out/cli/engine.worker.js'])(
        'loads a trace in the unpacked engine worker %s',
        async (worker) => {
          const client = new WorkerEngineClient(
            join(resources, 'app.asar.unpacked', worker),
            () => {},
          );
          try {
            const info: TraceInfo = await client.call('trace:open', {
              path: join(resources, 'samples', SAMPLE_FILE),
            });
            expect(info.events).toBe(SAMPLE_EVENTS);
          } finally {
            await client.close();
          }
        },
      );
    });

    describe.each(['deb', 'rpm'] as const)('the %s', (target) => {
      const input = (): FpmInput => {
        const found = fpm.get(target);
        expect(found, `electron-builder prepared no ${target}`).toBeDefined();
        return found!;
      };
      const installDir = (): string => linuxInstallDir(config);

      it('installs the app folder in /opt, with the wrapper where the polkit action names it', () => {
        expect(input().args).toContain(`${appOutDir}/=${installDir()}`);
        const policy = readFileSync(
          join(resources, 'linux', 'dev.dropscope.capture.policy'),
          'utf8',
        );
        const execPath = /key="org\.freedesktop\.policykit\.exec\.path">([^<]+)</.exec(policy)?.[1];
        expect(execPath).toBeDefined();
        expect(execPath!.startsWith(`${installDir()}/`)).toBe(true);
        const packed = join(appOutDir, relative(installDir(), execPath!));
        expect(isExecutable(packed), packed).toBe(true);
      });

      it("installs the icon at every size in hicolor under the app's icon name", () => {
        for (const size of LINUX_ICON_SIZES) {
          const mapping = input().args.find((arg) =>
            arg.endsWith(`=/usr/share/icons/hicolor/${size}x${size}/apps/dropscope-app.png`),
          );
          expect(mapping, `${size}x${size}`).toBeDefined();
          expect(mapping!.split('=')[0]).toMatch(new RegExp(`${size}x${size}\\.png$`));
        }
      });

      it('installs a desktop entry in Development and Network that offers Dropscope for traces', () => {
        const destination = `=/usr/share/applications/${config.executableName}.desktop`;
        expect(input().args.some((arg) => arg.endsWith(destination))).toBe(true);
        const keys = desktopKeys(input().desktopEntry);
        expect(keys.get('Exec')).toBe(`${installDir()}/${config.executableName} %U`);
        expect(keys.get('Icon')).toBe(config.executableName);
        expect(keys.get('StartupWMClass')).toBe(config.executableName);
        expect(keys.get('Categories')).toBe('Development;Network;');
        expect(keys.get('Keywords')).toMatch(/kfree_skb/);
        expect(keys.get('Comment')).toBeTruthy();
        expect(keys.get('MimeType')?.split(';')).toEqual(
          expect.arrayContaining([
            'application/x-perf-data',
            'application/x-trace-cmd-dat',
            'text/plain',
            'text/x-log',
            'application/json',
            'application/x-ndjson',
            'application/gzip',
          ]),
        );
      });

      const hasValidator = spawnSync('desktop-file-validate', ['--help']).error === undefined;
      it.skipIf(!hasValidator)(
        'writes a desktop entry desktop-file-validate accepts (skipped without desktop-file-utils)',
        () => {
          const file = join(root, `${target}.desktop`);
          writeFileSync(file, input().desktopEntry);
          const run = spawnSync('desktop-file-validate', [file], { encoding: 'utf8' });
          expect(run.stdout.split('\n').filter((line) => /error/i.test(line))).toEqual([]);
          expect(run.status).toBe(0);
        },
      );

      describe('maintainer scripts, filled in by electron-builder', () => {
        /** Runs a script with PATH holding only loggers for the commands that change files. */
        const runLogged = (script: string, arg: string): string[] => {
          // No absolute path to a command that changes files, which the PATH would not catch.
          expect(script).not.toMatch(/(^|[\s;&|(])\/(usr\/)?s?bin\/(rm|ln|cp|mv|chmod|mkdir)\b/m);
          const bin = mkdtempSync(join(root, 'fake-bin-'));
          const log = join(bin, 'log');
          for (const command of ['ln', 'cp', 'mkdir', 'chmod', 'rm', 'unshare']) {
            writeFileSync(join(bin, command), '#!/bin/sh\necho "${0##*/} $*" >> "$LOG"\n', {
              mode: 0o755,
            });
          }
          writeFileSync(join(bin, 'script.sh'), script);
          const run = spawnSync('/bin/sh', [join(bin, 'script.sh'), arg], {
            encoding: 'utf8',
            env: { PATH: bin, LOG: log },
          });
          expect(run.stderr).toBe('');
          expect(run.status).toBe(0);
          return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
        };
        const installs = (): string[] => runLogged(input().afterInstall, 'configure');

        it('name the install folder and the app binary, with no macro left', () => {
          for (const script of [input().afterInstall, input().afterRemove]) {
            expect(script).not.toMatch(/\$\{[a-zA-Z]+\}/);
            expect(script).toContain(`/usr/bin/${config.executableName}`);
          }
          expect(input().afterInstall).toContain(`'${installDir()}'`);
        });

        it('put the app and dropscope on PATH and install the polkit action and MIME types', () => {
          const app = installDir();
          expect(installs()).toEqual(
            expect.arrayContaining([
              `ln -sf ${app}/${config.executableName} /usr/bin/${config.executableName}`,
              `ln -sf ${app}/resources/bin/dropscope /usr/bin/dropscope`,
              `cp -f ${app}/resources/linux/dev.dropscope.capture.policy /usr/share/polkit-1/actions/dev.dropscope.capture.policy`,
              `cp -f ${app}/resources/linux/dropscope-mime.xml /usr/share/mime/packages/dropscope.xml`,
            ]),
          );
        });

        it('install only files the package carries', () => {
          const sources = installs()
            .filter((line) => /^(ln -sf|cp -f) /.test(line))
            .map((line) => line.split(' ')[2]!);
          for (const source of sources) {
            expect(source.startsWith(`${installDir()}/`), source).toBe(true);
            const packed = join(appOutDir, relative(installDir(), source));
            expect(existsSync(packed), packed).toBe(true);
          }
        });

        it('remove on uninstall every file after-install added', () => {
          const added = installs()
            .filter((line) => /^(ln -sf|cp -f) /.test(line))
            .map((line) => line.split(' ')[3]!);
          const removed = runLogged(input().afterRemove, target === 'deb' ? 'remove' : '0')
            .filter((line) => line.startsWith('rm '))
            .flatMap((line) => line.split(' ').slice(1));
          expect(added.length).toBeGreaterThan(3);
          expect(added.filter((path) => !removed.includes(path))).toEqual([]);
        });

        it('leave everything in place when the package is upgraded', () => {
          const upgrade = target === 'deb' ? 'upgrade' : '1';
          expect(runLogged(input().afterRemove, upgrade)).toEqual([]);
        });
      });
    });
  },
);
