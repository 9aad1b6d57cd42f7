import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isTrustedSender, type RendererLocation } from '../../../../main/app/ipc/isTrustedSender';

const built: RendererLocation = {
  kind: 'file',
  indexFile: '/opt/dropscope/out/renderer/index.html',
};
const dev: RendererLocation = { kind: 'url', url: 'http://localhost:5173/' };
const indexUrl = pathToFileURL('/opt/dropscope/out/renderer/index.html').href;

describe('isTrustedSender', () => {
  it("trusts the built renderer's index page, with or without a hash", () => {
    expect(isTrustedSender({ url: indexUrl, isTopFrame: true }, built)).toBe(true);
    expect(isTrustedSender({ url: `${indexUrl}#/trace/1`, isTopFrame: true }, built)).toBe(true);
  });

  it('refuses another local file, even next to the renderer', () => {
    const other = pathToFileURL('/opt/dropscope/out/renderer/evil.html').href;
    expect(isTrustedSender({ url: other, isTopFrame: true }, built)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/index.html', isTopFrame: true }, built)).toBe(false);
  });

  it('refuses a subframe, a destroyed frame and a web page', () => {
    expect(isTrustedSender({ url: indexUrl, isTopFrame: false }, built)).toBe(false);
    expect(isTrustedSender(null, built)).toBe(false);
    expect(isTrustedSender({ url: 'https://example.com/', isTopFrame: true }, built)).toBe(false);
    expect(isTrustedSender({ url: 'not a url', isTopFrame: true }, built)).toBe(false);
  });

  it("trusts only the dev server's origin in development", () => {
    expect(
      isTrustedSender({ url: 'http://localhost:5173/index.html', isTopFrame: true }, dev),
    ).toBe(true);
    expect(isTrustedSender({ url: 'http://localhost:5174/', isTopFrame: true }, dev)).toBe(false);
    expect(isTrustedSender({ url: indexUrl, isTopFrame: true }, dev)).toBe(false);
  });
});
