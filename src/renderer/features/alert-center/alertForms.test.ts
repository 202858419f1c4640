import { describe, expect, it } from 'vitest';
import { KeelError } from '../../../shared/errors';
import { describeTestAnswer, readEmailForm, type EmailDraft } from './alertForms';

const draft: EmailDraft = {
  host: 'smtp.example.com',
  port: '587',
  security: 'starttls',
  user: 'desk',
  password: '',
  from: 'keel@example.com',
  to: 'me@example.com, you@example.com',
  reportEnabled: true,
  reportTime: '18:30',
  reportZone: 'Europe/Berlin',
};

describe('the email form', () => {
  it('reads a whole setting, the recipients split on commas or spaces', () => {
    expect(readEmailForm(draft)).toEqual({
      ok: true,
      smtp: { host: 'smtp.example.com', port: 587, security: 'starttls', user: 'desk', from: 'keel@example.com', to: ['me@example.com', 'you@example.com'] },
      dailyReport: { enabled: true, time: '18:30', timeZone: 'Europe/Berlin' },
    });
  });

  it('reads an empty server as "no email", unless the report needs one', () => {
    const empty = { ...draft, host: '', user: '', from: '', to: '' };
    expect(readEmailForm({ ...empty, reportEnabled: false })).toMatchObject({ ok: true, smtp: null });
    expect(readEmailForm(empty)).toEqual({ ok: false, problems: { form: 'The daily report needs a mail server to go out through.' } });
  });

  it('says what is wrong with each field, as the engine would', () => {
    const result = readEmailForm({ ...draft, host: 'smtp://x', port: '99999', from: 'keel', to: '', reportTime: '7:5', reportZone: 'Moon/Base' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.problems).sort()).toEqual(['from', 'host', 'port', 'reportTime', 'reportZone', 'to']);
      expect(result.problems.port).toBe('must be a port number, 1 to 65535');
      expect(result.problems.reportZone).toMatch(/IANA time zone/);
    }
  });

  it("tells the test's answer in the server's words", () => {
    expect(describeTestAnswer({ ok: true, result: { accepted: ['me@example.com'], rejected: [], response: '250 2.0.0 Ok: queued as 1A2B', messageId: null } })).toEqual({
      ok: true,
      text: 'Accepted for me@example.com. The server said: 250 2.0.0 Ok: queued as 1A2B',
    });
    expect(describeTestAnswer({ ok: false, error: new KeelError('EMAIL_FAILED', 'The mail server answered: 535 5.7.8 Authentication credentials invalid') })).toEqual({
      ok: false,
      text: 'EMAIL_FAILED: The mail server answered: 535 5.7.8 Authentication credentials invalid',
    });
  });
});
