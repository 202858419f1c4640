/**
 * The HTTP side of the headless host: reads request targets without ever
 * throwing, builds the security headers every response carries, and serves
 * the built renderer from one folder (GET and HEAD only). Anything a client
 * sends that cannot be parsed becomes a 4xx answer, never an exception.
 */
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { extname, join, posix, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export const ALLOWED_METHODS = 'GET, HEAD';

/**
 * Powerful browser features the workstation never uses, denied to the page
 * and anything it embeds. Only features Chromium knows: an unknown one (Web
 * Bluetooth is not policy-controlled there) is ignored with a console
 * warning on every page load, which buries the warnings that matter.
 */
export const PERMISSIONS_POLICY = [
  'accelerometer',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'hid',
  'idle-detection',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'publickey-credentials-get',
  'screen-wake-lock',
  'serial',
  'usb',
  'xr-spatial-tracking',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

/**
 * The policy of the page served by one host. `connect-src` names that host's
 * own WebSocket addresses only (the port is known once it listens), so the
 * page cannot reach any other local service.
 */
export function buildContentSecurityPolicy(webSocketSources: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    ["connect-src 'self'", ...webSocketSources].join(' '),
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every response of the host carries, whatever its status. */
export function securityHeaders(contentSecurityPolicy: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': PERMISSIONS_POLICY,
    'X-Frame-Options': 'DENY',
  };
}

export interface RequestTarget {
  /** Percent-decoded and normalized (no `.`, `..` or empty segments): the path every decision is made on. */
  path: string;
  query: URLSearchParams;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * Reads a request target (origin-form `/a?b` or absolute-form
 * `http://host/a?b`). Returns null for anything malformed: bad percent
 * escapes or UTF-8, an unparsable absolute URL, NUL or backslash in the path,
 * or any other form (`*`, authority-form).
 */
export function parseRequestTarget(raw: string | undefined): RequestTarget | null {
  if (raw === undefined || raw === '') return null;
  let pathPart: string;
  let queryPart: string;
  if (raw.startsWith('/')) {
    const cut = raw.search(/[?#]/);
    pathPart = cut === -1 ? raw : raw.slice(0, cut);
    queryPart = cut !== -1 && raw[cut] === '?' ? raw.slice(cut + 1).split('#', 1)[0]! : '';
  } else if (SCHEME.test(raw)) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return null;
    }
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return null;
    pathPart = url.pathname;
    queryPart = url.search.slice(1);
  } else {
    return null;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  return { path: posix.normalize(decoded), query: new URLSearchParams(queryPart) };
}

/** The HTML page (and any folder, which resolves to it) needs the access token; assets do not. */
export function isPagePath(path: string): boolean {
  return path.endsWith('/') || ['.html', '.htm'].includes(extname(path).toLowerCase());
}

/**
 * Names a renderer build produces (`index-B2x_k9.js`): letters, digits and
 * `_ - + @ .`, not starting or ending with a dot. Anything else (dot files,
 * Windows stream or device syntax, trailing dots and spaces) is not served.
 */
const SERVABLE_SEGMENT = /^[A-Za-z0-9_@+-](?:[A-Za-z0-9_.@+-]*[A-Za-z0-9_@+-])?$/;

export function sendText(res: ServerResponse, status: number, text: string, headers: OutgoingHttpHeaders): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/**
 * Answers a GET or HEAD for a file under `root`. Never rejects: a file that
 * is missing, outside the folder or unreadable is a 404 or 403.
 */
export async function serveStatic(
  root: string,
  target: RequestTarget,
  req: IncomingMessage,
  res: ServerResponse,
  headers: OutgoingHttpHeaders,
): Promise<void> {
  try {
    const relative = target.path.endsWith('/') ? `${target.path}index.html` : target.path;
    const segments = relative.split('/').filter((segment) => segment !== '');
    if (segments.length === 0 || !segments.every((segment) => SERVABLE_SEGMENT.test(segment))) {
      sendText(res, 404, 'Not found', headers);
      return;
    }
    const base = resolve(root);
    const file = join(base, ...segments);
    if (!file.startsWith(base + sep)) {
      sendText(res, 403, 'Forbidden', headers);
      return;
    }
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      sendText(res, 404, 'Not found', headers);
      return;
    }
    const head = req.method === 'HEAD';
    const body = head ? null : await readFile(file);
    if (res.destroyed) return;
    const extension = extname(file).toLowerCase();
    res.writeHead(200, {
      ...headers,
      'Content-Type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
      'Content-Length': body?.length ?? info.size,
      'Cache-Control': extension === '.html' ? 'no-store' : 'public, max-age=3600',
    });
    res.end(body ?? undefined);
  } catch {
    if (!res.headersSent && !res.destroyed) sendText(res, 404, 'Not found', headers);
    else res.destroy();
  }
}
