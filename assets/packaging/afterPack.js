/**
 * electron-builder's afterPack hook (electron-builder.yml `afterPack`): completes the command line
 * that the Linux packages run outside app.asar.
 *
 * resources/bin/dropscope runs resources/app.asar.unpacked/out/cli/dropscope.js with the app's
 * binary as Node. asarUnpack puts the command line, the engine workers and the packages they
 * import there, but Node sees nothing inside app.asar from there, so this hook adds what the
 * command line looks for above itself (main/cli/findUp.ts): a package.json (`"type": "module"`
 * for the ES modules of out/, and the version), the browser UI for `dropscope serve`
 * (out/renderer, without source maps) and the bundled sample. The files are plain copies beside
 * app.asar: the desktop app still loads everything from app.asar. Runs after the app folder is
 * packed and before the deb, rpm and AppImage are made from it; other platforms ship no command
 * line.
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Adds package.json, out/renderer and assets/samples to resources/app.asar.unpacked.
 *
 * @param {{ electronPlatformName: string, appOutDir: string, packager: { projectDir: string } }} context
 *   electron-builder's AfterPackContext (only the fields used here).
 */
export async function afterPack(context) {
  if (context.electronPlatformName !== 'linux') return;
  const projectDir = context.packager.projectDir;
  const unpacked = join(context.appOutDir, 'resources', 'app.asar.unpacked');
  const project = JSON.parse(await readFile(join(projectDir, 'package.json'), 'utf8'));
  const { name, productName, version, type } = project;
  await mkdir(unpacked, { recursive: true });
  await writeFile(
    join(unpacked, 'package.json'),
    `${JSON.stringify({ name, productName, version, private: true, type }, null, 2)}\n`,
  );
  await cp(join(projectDir, 'out', 'renderer'), join(unpacked, 'out', 'renderer'), {
    recursive: true,
    filter: (source) => !source.endsWith('.map'),
  });
  await cp(join(projectDir, 'assets', 'samples'), join(unpacked, 'assets', 'samples'), {
    recursive: true,
  });
}
