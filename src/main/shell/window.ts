/**
 * The main window: a sandboxed, context-isolated renderer with no Node, a
 * strict Content-Security-Policy delivered as a response header, every
 * permission request denied but notifications from our own pages,
 * navigation pinned to our renderer and
 * window.open denied. It is shown only once it has painted, on a dark
 * background, so it never flashes white.
 */
import { BrowserWindow, type Session } from 'electron';
import { isRendererUrl, rendererUrl, type RendererLocation } from './paths';
import { describeUrl } from './security';
import { errorText } from '../../shared/errors';

export const WINDOW_BACKGROUND = '#0b0e14';

const CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

/** The policy of the built renderer. */
export const CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.join('; ');

/**
 * The policy for a renderer location. The dev server needs two relaxations,
 * never shipped: Vite's React-refresh preamble is an inline script, and HMR
 * talks over a WebSocket to the dev server.
 */
export function contentSecurityPolicy(renderer: RendererLocation): string {
  if (renderer.kind === 'file') return CONTENT_SECURITY_POLICY;
  const origin = new URL(renderer.url);
  const ws = `${origin.protocol === 'https:' ? 'wss' : 'ws'}://${origin.host}`;
  return CSP_DIRECTIVES.map((d) => {
    if (d.startsWith('script-src ')) return `${d} 'unsafe-inline'`;
    if (d.startsWith('connect-src ')) return `${d} ${ws}`;
    return d;
  }).join('; ');
}

export interface MainWindowOptions {
  renderer: RendererLocation;
  preloadPath: string;
  /** DevTools are available in development only. */
  devTools: boolean;
  log?: (message: string) => void;
}

const defaultLog = (message: string): void => console.warn(`[keel:window] ${message}`);

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const { renderer } = options;
  const log = options.log ?? defaultLog;

  const win = new BrowserWindow({
    title: 'Keel',
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    backgroundColor: WINDOW_BACKGROUND,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      experimentalFeatures: false,
      spellcheck: false,
      devTools: options.devTools,
    },
  });

  hardenSession(win.webContents.session, renderer, log);

  win.once('ready-to-show', () => win.show());

  win.webContents.on('will-navigate', (event) => {
    if (isRendererUrl(event.url, renderer)) return;
    event.preventDefault();
    log(`blocked navigation to ${describeUrl(event.url)}`);
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    log(`blocked window.open to ${describeUrl(url)}`);
    return { action: 'deny' };
  });
  win.webContents.on('render-process-gone', (_event, details) => {
    // The engine keeps running in the main process; only the view is lost.
    log(`renderer process gone (${details.reason}, exit code ${details.exitCode})`);
  });

  const loading = renderer.kind === 'url' ? win.loadURL(renderer.url) : win.loadFile(renderer.path);
  loading.catch((error: unknown) => {
    log(`could not load ${rendererUrl(renderer)}: ${errorText(error)}`);
  });

  return win;
}

/** CSP header on our own responses, and no permission is ever granted. */
export function hardenSession(session: Session, renderer: RendererLocation, log: (message: string) => void = defaultLog): void {
  const policy = contentSecurityPolicy(renderer);
  const devOrigin = renderer.kind === 'url' ? new URL(renderer.url).origin : undefined;
  const isOurs = (url: string): boolean => {
    try {
      const parsed = new URL(url);
      return devOrigin === undefined ? parsed.protocol === 'file:' : parsed.origin === devOrigin;
    } catch {
      return false;
    }
  };

  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isOurs(details.url)) {
      callback({});
      return;
    }
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      // Ours replaces any policy already present, whatever its casing.
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [policy];
    callback({ responseHeaders: headers });
  });

  // One exception: our own pages may show desktop notifications (fills and triggered stops, when the
  // trader turns them on in Settings). Everything else, and any page that is not ours, is refused.
  const mayNotify = (permission: string, url: string | undefined) => permission === 'notifications' && url !== undefined && isOurs(url);
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    if (mayNotify(permission, details?.requestingUrl)) {
      callback(true);
      return;
    }
    log(`denied permission request: ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) => mayNotify(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
}
