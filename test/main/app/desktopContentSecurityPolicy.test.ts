import { describe, expect, it } from 'vitest';
import { desktopContentSecurityPolicy } from '../../../main/app/desktopContentSecurityPolicy';

describe('desktopContentSecurityPolicy', () => {
  it('allows only our own scripts in the built app', () => {
    const policy = desktopContentSecurityPolicy(null);
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("style-src 'self' 'unsafe-inline'");
    expect(policy).toContain("img-src 'self' data: blob:");
    expect(policy).toContain("connect-src 'self';");
    expect(policy).not.toContain('unsafe-eval');
  });

  it("allows the dev server's inline preamble and HMR socket in development only", () => {
    const policy = desktopContentSecurityPolicy('http://localhost:5173');
    expect(policy).toContain("script-src 'self' 'unsafe-inline' http://localhost:5173");
    expect(policy).toContain("connect-src 'self' http://localhost:5173 ws://localhost:5173");
  });
});
