import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './fakeElectron';
import { FakeWebContents, fakeEvent, resetFakeElectron } from './fakeElectron';
import { installAppSecurity } from '../../src/main/shell/security';

vi.mock('electron', () => import('./fakeElectron'));

const allowed = 'file:///opt/keel/out/renderer/index.html';

function install() {
  const logs: string[] = [];
  installAppSecurity({ isAllowedNavigation: (url) => url === allowed, log: (m) => logs.push(m) });
  const contents = new FakeWebContents();
  fake.app.emit('web-contents-created', fakeEvent({}), contents);
  return { contents, logs };
}

beforeEach(() => resetFakeElectron());

describe('app-wide security', () => {
  it('sandboxes every renderer', () => {
    install();
    expect(fake.app.enableSandbox).toHaveBeenCalledTimes(1);
  });

  it('hardens every webContents the app creates, not just the main window', () => {
    const { contents } = install();
    const second = new FakeWebContents();
    fake.app.emit('web-contents-created', fakeEvent({}), second);
    expect(contents.windowOpenHandler).not.toBeNull();
    expect(second.windowOpenHandler).not.toBeNull();
    expect(second.listenerCount('will-navigate')).toBe(1);
  });

  it('refuses to attach a <webview>', () => {
    const { contents, logs } = install();
    const event = fakeEvent({});
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented()).toBe(true);
    expect(logs.join('\n')).toContain('webview');
  });

  it('denies window.open whatever the target', () => {
    const { contents } = install();
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/x?token=1' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: allowed })).toEqual({ action: 'deny' });
  });

  it('cancels navigation and redirects anywhere but the renderer, without logging full URLs', () => {
    const { contents, logs } = install();
    const away = fakeEvent({ url: 'https://evil.example/path?token=secret' });
    contents.emit('will-navigate', away, away.url);
    expect(away.defaultPrevented()).toBe(true);

    const redirect = fakeEvent({ url: 'https://evil.example/' });
    contents.emit('will-redirect', redirect, redirect.url);
    expect(redirect.defaultPrevented()).toBe(true);

    const home = fakeEvent({ url: allowed });
    contents.emit('will-navigate', home, home.url);
    expect(home.defaultPrevented()).toBe(false);

    expect(logs.join('\n')).toContain('https://evil.example');
    expect(logs.join('\n')).not.toContain('secret');
  });
});
