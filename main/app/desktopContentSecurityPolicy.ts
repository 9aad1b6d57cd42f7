/**
 * The desktop window's Content-Security-Policy. Pure (unit-tested); windows.ts installs it on
 * every response of the app's session.
 */

/**
 * The policy for the built renderer (file://), or for the dev server when `devServerUrl` is
 * given: Vite's dev server injects an inline module script (React Refresh) and talks to its HMR
 * WebSocket, so dev alone allows inline scripts and that origin.
 */
export function desktopContentSecurityPolicy(devServerUrl: string | null): string {
  let scriptSrc = "script-src 'self'";
  let connectSrc = "connect-src 'self'";
  if (devServerUrl !== null) {
    const origin = new URL(devServerUrl);
    scriptSrc += ` 'unsafe-inline' ${origin.origin}`;
    connectSrc += ` ${origin.origin} ws://${origin.host}`;
  }
  return [
    "default-src 'self'",
    scriptSrc,
    // ag-grid sets inline styles.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    connectSrc,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
