/**
 * Desktop notifications through the browser's Notification API (in the
 * desktop app the window's session grants it to Keel's own pages only).
 * Shown only while the window is not focused: a trader looking at the
 * screen has the toast. A tag per event lets the system replace rather than
 * stack a notice several windows raise for the same fill.
 */

export type NoticePermission = 'granted' | 'denied' | 'default' | 'unsupported';

function api(): typeof Notification | null {
  const N = (globalThis as { Notification?: typeof Notification }).Notification;
  return typeof N === 'function' ? N : null;
}

export function noticePermission(): NoticePermission {
  const N = api();
  return N ? N.permission : 'unsupported';
}

/** Asks the system once (it remembers the answer); resolves to what it said. */
export async function requestNoticePermission(): Promise<NoticePermission> {
  const N = api();
  if (!N) return 'unsupported';
  if (N.permission !== 'default') return N.permission;
  try {
    return await N.requestPermission();
  } catch {
    return N.permission;
  }
}

/** Whether a notice should go to the desktop now: asked for, allowed, and the window is not where the trader is looking. */
export function shouldNotifyDesktop(enabled: boolean, permission: NoticePermission, focused: boolean): boolean {
  return enabled && permission === 'granted' && !focused;
}

export function notifyDesktop(title: string, body: string, tag: string): void {
  const N = api();
  if (!N) return;
  try {
    new N(title, { body, tag, silent: true });
  } catch {
    // Some platforms refuse page notifications outright; the toast has said it already.
  }
}
