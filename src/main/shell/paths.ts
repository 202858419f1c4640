/**
 * Where the desktop app's files are: the user-data folder (journal, settings),
 * the preload script, and the renderer (the electron-vite dev server in
 * development, out/renderer/index.html otherwise). The renderer location is
 * decided once here and shared by the window, the navigation guard and the
 * IPC sender check, so they cannot disagree.
 */
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app } from 'electron';

export type RendererLocation = { kind: 'file'; path: string } | { kind: 'url'; url: string };

/** Folder for the journal and everything else the app keeps between runs. */
export function userDataDir(): string {
  return app.getPath('userData');
}

/**
 * `KEEL_DATA_DIR` moves the user-data folder (and with it the single-instance
 * lock), so tests and a second profile can run side by side. Must run before
 * `app` is ready.
 */
export function applyDataDirOverride(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env.KEEL_DATA_DIR;
  if (dir === undefined || dir === '') return undefined;
  if (!isAbsolute(dir)) throw new Error(`KEEL_DATA_DIR must be an absolute path, got ${JSON.stringify(dir)}`);
  app.setPath('userData', dir);
  return dir;
}

/** The bundled preload next to the bundled main (out/main -> out/preload). */
export function preloadPath(mainDir: string = __dirname): string {
  return join(mainDir, '../preload/index.js');
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The dev server URL (electron-vite sets ELECTRON_RENDERER_URL) only when not
 * packaged, and only on loopback: a packaged app never loads remote content,
 * whatever its environment says.
 */
export function resolveRenderer(options: {
  isPackaged: boolean;
  devUrl: string | undefined;
  mainDir?: string;
  warn?: (message: string) => void;
}): RendererLocation {
  const file: RendererLocation = { kind: 'file', path: join(options.mainDir ?? __dirname, '../renderer/index.html') };
  if (options.isPackaged || !options.devUrl) return file;
  let url: URL;
  try {
    url = new URL(options.devUrl);
  } catch {
    options.warn?.(`ignoring ELECTRON_RENDERER_URL: not a URL (${JSON.stringify(options.devUrl)})`);
    return file;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !LOOPBACK_HOSTS.has(url.hostname)) {
    options.warn?.(`ignoring ELECTRON_RENDERER_URL: only http(s) on loopback is allowed (${url.origin})`);
    return file;
  }
  return { kind: 'url', url: url.href };
}

/** The URL the window's main frame shows when it is on our renderer. */
export function rendererUrl(renderer: RendererLocation): string {
  return renderer.kind === 'url' ? renderer.url : pathToFileURL(renderer.path).href;
}

function normalisedFilePath(url: URL): string {
  // Windows paths compare case-insensitively (drive letters especially).
  return process.platform === 'win32' ? url.pathname.toLowerCase() : url.pathname;
}

/**
 * Whether `url` is our renderer: for the built app exactly our index.html
 * (any query or hash), for the dev server its origin.
 */
export function isRendererUrl(url: string, renderer: RendererLocation): boolean {
  let candidate: URL;
  try {
    candidate = new URL(url);
  } catch {
    return false;
  }
  const expected = new URL(rendererUrl(renderer));
  if (renderer.kind === 'url') {
    return candidate.origin === expected.origin && candidate.username === '' && candidate.password === '';
  }
  return (
    candidate.protocol === 'file:' &&
    candidate.host === expected.host &&
    normalisedFilePath(candidate) === normalisedFilePath(expected)
  );
}
