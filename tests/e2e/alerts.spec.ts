/**
 * Alerts end to end, against the real headless host and a mail server on
 * 127.0.0.1: Settings → Email is filled in and "Send test" shows what the
 * server answered (and the message arrives); an emergency stop pressed in
 * the header shows up in the notification centre with its unread count,
 * and is emailed; "Mark all read" clears the count.
 */
import { expect, test } from './journey';
import type { AlertSettingsView } from '../../src/shared/contract';
import { readMessage, startMailServer, type TestMailServer } from '../support/mailServer';
import { removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { rpc } from './rpc';
import { openWorkstation } from './workstation';

let host: RunningHost | undefined;
let mail: TestMailServer | undefined;
test.afterEach(async () => {
  await host?.stop();
  await mail?.close();
  host = undefined;
  mail = undefined;
});
test.afterAll(() => removeDataDirs());

test('Send test shows the mail server’s answer; an emergency stop lands in the notification centre and in the mailbox', async ({ page }) => {
  mail = await startMailServer();
  host = await startHost();
  await openWorkstation(page, host);

  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByRole('tab', { name: 'Email' }).click();
  const form = dialog.getByRole('form', { name: 'Email settings' });
  await form.getByLabel('Server', { exact: true }).fill('127.0.0.1');
  await form.getByLabel('Security', { exact: true }).selectOption('none');
  await form.getByLabel('Port', { exact: true }).fill(String(mail.port));
  await form.getByLabel('From', { exact: true }).fill('keel@example.com');
  await form.getByLabel('To', { exact: true }).fill('trader@example.com');
  await form.getByRole('button', { name: 'Send test' }).click();
  await expect(form.getByRole('status', { name: 'Mail server answer' })).toHaveText(/^Accepted for trader@example\.com\. The server said: 250 /);
  const test1 = await mail.waitFor(1);
  expect(test1.to).toEqual(['trader@example.com']);
  expect(readMessage(test1.raw).subject).toBe('Keel: test message');
  // Saved as typed: the engine answers the same settings.
  const saved = await rpc<AlertSettingsView>(host.port, host.token, 'alerts.settings.get');
  expect(saved.smtp).toEqual({ host: '127.0.0.1', port: mail.port, security: 'none', user: '', from: 'keel@example.com', to: ['trader@example.com'] });

  // A bad time zone is refused on the form, before anything is sent.
  await form.getByLabel('Time zone', { exact: true }).fill('Moon/Base');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('alert').filter({ hasText: 'IANA time zone' })).toBeVisible();
  await form.getByRole('button', { name: 'Close' }).click();

  // A busy machine may already have raised a warning of its own (the event loop's delay while the host starts
  // beside the browser): the stop adds one to whatever the bell counted before it.
  const bell = page.getByRole('button', { name: /^Notifications/ });
  const unreadBefore = unreadCount(await bell.getAttribute('aria-label'));
  await page.getByRole('button', { name: 'Emergency stop' }).click();
  await page.getByRole('dialog', { name: 'Emergency stop' }).getByRole('button', { name: 'Cancel orders and flatten' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'HALTED' })).toBeVisible();
  await expect.poll(async () => unreadCount(await bell.getAttribute('aria-label'))).toBeGreaterThan(unreadBefore);
  await page.getByRole('dialog', { name: /Emergency report/ }).getByRole('button', { name: 'Dismiss' }).click();
  await bell.click();
  const centre = page.getByRole('dialog', { name: 'Notifications' });
  const item = centre.getByRole('listitem').filter({ hasText: 'Emergency stop (button): trading halted' });
  await expect(item).toBeVisible();
  await expect(item).toContainText('Critical');
  await expect(item).toContainText('Trading stays halted until you re-arm.');
  const emailed = await mail.waitForMatch((m) => readMessage(m.raw).subject.includes('Emergency stop'));
  expect(readMessage(emailed.raw).subject).toBe('[Keel] CRITICAL: Emergency stop (button): trading halted');

  await centre.getByRole('button', { name: 'Mark all read' }).click();
  await expect(bell).toHaveAccessibleName('Notifications');
  await expect(centre.getByText('All read', { exact: true })).toBeVisible();
  await expect(centre.getByRole('button', { name: 'Mark all read' })).toBeDisabled();
});

/** The unread count the bell's name gives: "Notifications" (none) or "Notifications: 3 unread". */
function unreadCount(label: string | null): number {
  const match = /^Notifications: (\d+) unread$/.exec(label ?? '');
  if (match) return Number(match[1]);
  if (label === 'Notifications') return 0;
  throw new Error(`The bell reads "${label}"`);
}
