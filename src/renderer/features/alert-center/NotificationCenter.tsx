/**
 * The header's bell: how many alerts are unread, and on a click the recent
 * ones (newest first, the most serious marked), with "Mark all read" and a
 * way to the alert settings. The engine keeps every alert; this shows the
 * latest hundred.
 */
import { useState } from 'react';
import type { AlertRecord } from '../../../shared/contract';
import { errorMessage } from '../../api/client';
import { fmtDateTime } from '../../lib/format';
import { usePopover } from '../../lib/usePopover';
import { useKeel, useServices } from '../../stores/KeelProvider';
import './alertCenter.css';

const SEVERITY_LABEL: Record<AlertRecord['severity'], string> = { info: 'Info', warning: 'Warning', critical: 'Critical' };

export function NotificationCenter() {
  const { client, store } = useServices();
  const { alerts, unread } = useKeel((s) => s.alertCenter);
  const openSettings = useKeel((s) => s.openSettings);
  const { open, setOpen, rootRef } = usePopover();
  const [error, setError] = useState<string | null>(null);

  async function markAllRead(): Promise<void> {
    setError(null);
    try {
      const { unread: left } = await client.invoke('alerts.markRead', {});
      store.getState().setAlertsRead(left);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  const label = unread > 0 ? `Notifications: ${unread} unread` : 'Notifications';
  return (
    <div className="account-menu notification-center" ref={rootRef}>
      <button type="button" className="btn btn-ghost btn-icon bell" aria-label={label} title={label} aria-haspopup="dialog" aria-expanded={open} onClick={() => setOpen(!open)}>
        <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true">
          <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z" />
        </svg>
        {unread > 0 && (
          <span className="bell-count num" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div className="menu notification-list" role="dialog" aria-label="Notifications">
          <div className="notification-head">
            <span>{unread > 0 ? `${unread} unread` : 'All read'}</span>
            <span className="notification-actions">
              <button type="button" className="btn btn-xs" disabled={unread === 0} onClick={() => void markAllRead()}>
                Mark all read
              </button>
              <button
                type="button"
                className="btn btn-xs"
                onClick={() => {
                  setOpen(false);
                  openSettings('alerts');
                }}
              >
                Alert settings
              </button>
            </span>
          </div>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          {alerts.length === 0 ? (
            <p className="notification-empty">No alerts yet.</p>
          ) : (
            <ul className="notification-items" aria-label="Recent alerts">
              {alerts.map((a) => (
                <li key={a.id} className={`notification notification-${a.severity}${a.read ? '' : ' unread'}`}>
                  <div className="notification-title">
                    <span className={`notification-severity sev-${a.severity}`}>{SEVERITY_LABEL[a.severity]}</span>
                    <span>{a.title}</span>
                  </div>
                  <div className="notification-body">{a.body}</div>
                  <div className="notification-meta num">
                    {fmtDateTime(a.raisedAt)}
                    {a.venue ? ` · ${a.venue}` : ''}
                    {a.symbol ? ` · ${a.symbol}` : ''}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
