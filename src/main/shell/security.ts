/**
 * App-wide Electron hardening, applied to every webContents the app ever
 * creates (windows, DevTools, anything a future change adds): renderers are
 * sandboxed, <webview> cannot attach, window.open is denied, and navigation or
 * redirects anywhere but our own renderer are cancelled. Per-window settings
 * (CSP, permissions, webPreferences) live in window.ts.
 */
import { app, type WebContents } from 'electron';

export interface AppSecurityOptions {
  /** The only navigation targets allowed: our renderer entry. Everything else is cancelled. */
  isAllowedNavigation: (url: string) => boolean;
  log?: (message: string) => void;
}

const defaultLog = (message: string): void => console.warn(`[keel:security] ${message}`);

/** Must run before `app` is ready so that every renderer is sandboxed. */
export function installAppSecurity(options: AppSecurityOptions): void {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, options));
}

export function hardenWebContents(contents: WebContents, options: AppSecurityOptions): void {
  const log = options.log ?? defaultLog;

  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('blocked a <webview> from attaching');
  });

  contents.setWindowOpenHandler(({ url }) => {
    log(`blocked window.open to ${describeUrl(url)}`);
    return { action: 'deny' };
  });

  contents.on('will-navigate', (event) => {
    if (options.isAllowedNavigation(event.url)) return;
    event.preventDefault();
    log(`blocked navigation to ${describeUrl(event.url)}`);
  });

  contents.on('will-redirect', (event) => {
    if (options.isAllowedNavigation(event.url)) return;
    event.preventDefault();
    log(`blocked redirect to ${describeUrl(event.url)}`);
  });
}

/** Origin only: paths and queries can carry tokens. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'file:' ? 'a local file' : parsed.origin;
  } catch {
    return 'an unparseable URL';
  }
}
