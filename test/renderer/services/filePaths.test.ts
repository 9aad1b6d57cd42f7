import { describe, expect, it } from 'vitest';
import type { RendererBridge } from '../../../shared/contract';
import { createFilePathResolver, uploadUrl } from '../../../renderer/services';

function bridgeWithPath(path: string): RendererBridge {
  return {
    invoke: () => Promise.resolve(null),
    on: () => () => undefined,
    pathForFile: () => path,
  };
}

describe('createFilePathResolver', () => {
  const file = new File(['drops'], 'drops.txt');
  const noProgress = () => undefined;

  it("uses the file's own path on the desktop (nothing is uploaded)", async () => {
    const resolve = createFilePathResolver(bridgeWithPath('/home/me/drops.txt'));
    await expect(resolve(file, noProgress, new AbortController().signal)).resolves.toBe(
      '/home/me/drops.txt',
    );
  });

  it('says so when a desktop file has no path', async () => {
    const resolve = createFilePathResolver(bridgeWithPath(''));
    await expect(resolve(file, noProgress, new AbortController().signal)).rejects.toThrow(
      'drops.txt: this file has no path on disk',
    );
  });
});

describe('uploadUrl', () => {
  it('names the file in the query, encoded', () => {
    expect(uploadUrl('my drops #1.txt')).toBe('/api/upload?name=my%20drops%20%231.txt');
  });
});
