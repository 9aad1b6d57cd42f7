/**
 * Who may talk to the server: the token (cookie or `?token=`), the Host header (DNS rebinding)
 * and the Origin header (cross-site pages). Pure functions over request headers, so the HTTP
 * routes and the WebSocket upgrade apply exactly the same checks.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { TOKEN_COOKIE } from '../../shared/contract';

/** A fresh token: 32 random bytes as 64 hex characters. */
export function createToken(): string {
  return randomBytes(32).toString('hex');
}

/** Compares in constant time (for equal lengths) so the token cannot be guessed byte by byte. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Every value of one cookie in a Cookie header (a name may repeat with different paths). */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    values.push(part.slice(eq + 1).trim());
  }
  return values;
}

/** How a request proved it knows the token. */
export type TokenProof = 'query' | 'cookie' | null;

/** Checks `?token=` first, then the cookie. */
export function tokenProof(url: URL, headers: IncomingHttpHeaders, token: string): TokenProof {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null && tokensEqual(fromQuery, token)) return 'query';
  if (cookieValues(headers.cookie, TOKEN_COOKIE).some((value) => tokensEqual(value, token)))
    return 'cookie';
  return null;
}

/** The Set-Cookie value that remembers the token for this origin. */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Whether a host name or address is the loopback interface. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/**
 * The Host header values a loopback-bound server answers (any other name pointing at 127.0.0.1
 * is a DNS-rebinding page and is refused even before the token is checked).
 */
export function loopbackHostHeaders(bindHost: string, port: number): Set<string> {
  const hosts = [
    '127.0.0.1',
    'localhost',
    '[::1]',
    bindHost.includes(':') ? `[${bindHost}]` : bindHost,
  ];
  return new Set(hosts.map((host) => `${host.toLowerCase()}:${port}`));
}

/** A Host header safe to echo into a header (the CSP's ws:// source), or null. */
export function cleanHostHeader(host: string | undefined): string | null {
  return host && /^[A-Za-z0-9.\-:[\]]{1,300}$/.test(host) ? host.toLowerCase() : null;
}

/** Whether the Origin header, when the browser sends one, is this server's own origin. */
export function isSameOrigin(headers: IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  const host = cleanHostHeader(headers.host);
  return host !== null && origin.toLowerCase() === `http://${host}`;
}
