import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, fakeEvent, resetFakeElectron, type HeadersCallback, type HeadersDetails } from './fakeElectron';
import type { RendererLocation } from '../../src/main/shell/paths';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy, createMainWindow } from '../../src/main/shell/window';

vi.mock('electron', () => import('./fakeElectron'));

const fileRenderer: RendererLocation = { kind: 'file', path: '/opt/keel/out/renderer/index.html' };
const fileUrl = pathToFileURL('/opt/keel/out/renderer/index.html').href;
const devRenderer: RendererLocation = { kind: 'url', url: 'http://localhost:5173/' };

function open(renderer: RendererLocation = fileRenderer, devTools = false) {
  const logs: string[] = [];
  const win = createMainWindow({ renderer, preloadPath: '/opt/keel/out/preload/index.js', devTools, log: (m) => logs.push(m) });
  const fake = win as unknown as FakeBrowserWindow;
  return { win: fake, wc: fake.webContents, session: fake.webContents.session, logs };
}

function headersFor(session: ReturnType<typeof open>['session'], details: HeadersDetails) {
  const listener = session.headersListener;
  if (!listener) throw new Error('no onHeadersReceived listener installed');
  const callback = vi.fn<HeadersCallback>();
  listener(details, callback);
  expect(callback).toHaveBeenCalledTimes(1);
  return callback.mock.calls[0]![0];
}

beforeEach(() => resetFakeElectron());

describe('main window: webPreferences', () => {
  it('isolates and sandboxes the renderer, with no Node and web security on', () => {
    const { win } = open();
    const prefs = win.options.webPreferences;
    expect(prefs).toBeDefined();
    expect(prefs?.contextIsolation).toBe(true);
    expect(prefs?.sandbox).toBe(true);
    expect(prefs?.nodeIntegration).toBe(false);
    expect(prefs?.nodeIntegrationInWorker).toBe(false);
    expect(prefs?.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs?.webSecurity).toBe(true);
    expect(prefs?.allowRunningInsecureContent).toBe(false);
    expect(prefs?.webviewTag).toBe(false);
    expect(prefs?.preload).toBe('/opt/keel/out/preload/index.js');
  });

  it('allows DevTools only when asked (development)', () => {
    expect(open(fileRenderer, false).win.options.webPreferences?.devTools).toBe(false);
    expect(open(fileRenderer, true).win.options.webPreferences?.devTools).toBe(true);
  });

  it('starts hidden on a dark background and shows once ready-to-show fires', () => {
    const { win } = open();
    expect(win.options.show).toBe(false);
    expect(win.options.backgroundColor).toMatch(/^#[0-3][0-9a-f][0-3][0-9a-f][0-3][0-9a-f]$/i);
    expect(win.visible).toBe(false);
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
  });

  it('loads the built renderer from file, or the dev server by URL', () => {
    const built = open(fileRenderer).win;
    expect(built.loadedFile).toBe('/opt/keel/out/renderer/index.html');
    expect(built.loadedUrl).toBeNull();
    const dev = open(devRenderer).win;
    expect(dev.loadedUrl).toBe('http://localhost:5173/');
    expect(dev.loadedFile).toBeNull();
  });
});

describe('main window: Content-Security-Policy', () => {
  it('is the strict policy the security baseline asks for', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it('is set as a response header on our file:// document, replacing any other policy', () => {
    const { session } = open();
    const response = headersFor(session, {
      url: fileUrl,
      resourceType: 'mainFrame',
      responseHeaders: { 'content-security-policy': ["default-src *"], 'X-Other': ['kept'] },
    });
    expect(response.responseHeaders).toEqual({
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      'X-Other': ['kept'],
    });
  });

  it('leaves responses that are not ours untouched', () => {
    const { session } = open();
    expect(headersFor(session, { url: 'https://example.com/', responseHeaders: {} })).toEqual({});
  });

  it('covers the dev server origin, relaxed only for Vite (inline preamble, HMR socket)', () => {
    const { session } = open(devRenderer);
    const response = headersFor(session, { url: 'http://localhost:5173/src/main.tsx', responseHeaders: {} });
    const policy = (response.responseHeaders?.['Content-Security-Policy'] as string[])[0];
    expect(policy).toBe(contentSecurityPolicy(devRenderer));
    expect(policy).toContain("script-src 'self' 'unsafe-inline'");
    expect(policy).toContain("connect-src 'self' ws://localhost:5173");
    expect(policy).toContain("object-src 'none'");
    expect(headersFor(session, { url: 'http://localhost:5174/', responseHeaders: {} })).toEqual({});
    // The built renderer never gets the relaxation.
    expect(contentSecurityPolicy(fileRenderer)).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe('main window: navigation and popups', () => {
  it('cancels navigation away from the renderer', () => {
    const { wc } = open();
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'file:///opt/keel/out/renderer/other.html', 'not a url']) {
      const event = fakeEvent({ url });
      wc.emit('will-navigate', event, url);
      expect(event.defaultPrevented(), url).toBe(true);
    }
  });

  it('lets the renderer navigate to its own URL', () => {
    const { wc } = open();
    const event = fakeEvent({ url: `${fileUrl}#/orders` });
    wc.emit('will-navigate', event, event.url);
    expect(event.defaultPrevented()).toBe(false);
  });

  it('denies window.open', () => {
    const { wc } = open();
    expect(wc.windowOpenHandler).not.toBeNull();
    expect(wc.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler?.({ url: fileUrl })).toEqual({ action: 'deny' });
  });
});

describe('main window: permissions', () => {
  it('denies every permission request but notifications from our own pages', () => {
    const { session } = open();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      session.permissionRequestHandler?.({}, permission, callback, { requestingUrl: 'https://evil.example/' });
      expect(callback, permission).toHaveBeenCalledWith(false);
    }
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      session.permissionRequestHandler?.({}, permission, callback, { requestingUrl: fileUrl });
      expect(callback, permission).toHaveBeenCalledWith(false);
    }
    const unnamed = vi.fn();
    session.permissionRequestHandler?.({}, 'notifications', unnamed, {});
    expect(unnamed).toHaveBeenCalledWith(false);
    const ours = vi.fn();
    session.permissionRequestHandler?.({}, 'notifications', ours, { requestingUrl: fileUrl });
    expect(ours).toHaveBeenCalledWith(true);
  });

  it('answers every permission check and device request with false, but notifications for our own pages', () => {
    const { session } = open();
    expect(session.permissionCheckHandler).not.toBeNull();
    expect(session.permissionCheckHandler?.({}, 'media', 'file://', {})).toBe(false);
    expect(session.permissionCheckHandler?.({}, 'clipboard-read', 'file://', {})).toBe(false);
    expect(session.permissionCheckHandler?.({}, 'notifications', 'https://evil.example', {})).toBe(false);
    expect(session.permissionCheckHandler?.({}, 'notifications', 'file://', {})).toBe(true);
    expect(session.devicePermissionHandler?.({ deviceType: 'usb' })).toBe(false);
  });
});
