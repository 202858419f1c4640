/**
 * Settings → Alerts: for each kind of alert, whether it also shows a
 * desktop notification, plays a tone and goes out by email. The
 * notification centre lists every alert whatever is chosen here.
 */
import { useEffect, useState } from 'react';
import { ALERT_KIND_NAMES, type AlertChannelMap, type AlertKindName } from '../../../shared/contract';
import { errorMessage } from '../../api/client';
import { noticePermission, requestNoticePermission } from '../../lib/desktopNotice';
import { useServices } from '../../stores/KeelProvider';
import './alertCenter.css';

export const ALERT_KIND_LABEL: Record<AlertKindName, string> = {
  fill: 'Fills',
  priceAlert: 'Price alerts',
  riskBreach: 'Risk limits and refusals',
  emergencyStop: 'Emergency stop',
  strategyError: 'Strategy errors',
  reconciliation: 'Reconciliation differences',
  venueDisconnected: 'Venue disconnected',
  marginWarning: 'Margin warnings',
  liquidation: 'Liquidations',
  crash: 'Unexpected errors',
  system: 'System health',
  pipeline: 'Strategy pipeline',
};

const CHANNELS = [
  ['desktop', 'Desktop'],
  ['sound', 'Sound'],
  ['email', 'Email'],
] as const;

export function AlertChannelSettings({ onDone }: { onDone(): void }) {
  const { client, store } = useServices();
  const [channels, setChannels] = useState<AlertChannelMap | null>(null);
  const [emailSet, setEmailSet] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    client.invoke('alerts.settings.get', {}).then(
      (v) => {
        if (!current) return;
        setChannels(v.channels);
        setEmailSet(v.smtp !== null);
      },
      (err: unknown) => current && setError(errorMessage(err)),
    );
    return () => {
      current = false;
    };
  }, [client]);

  async function save(): Promise<void> {
    if (!channels || busy) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await client.invoke('alerts.settings.set', { channels });
      setChannels(saved.channels);
      store.getState().notify('success', 'Alert settings saved');
      // Desktop notices need the system's leave once; ask when any kind uses them.
      if (ALERT_KIND_NAMES.some((k) => saved.channels[k].desktop) && noticePermission() === 'default') void requestNoticePermission();
      onDone();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  if (!channels)
    return <p className="dialog-body">{error ? `The alert settings could not be loaded: ${error}` : 'Loading…'}</p>;

  return (
    <form
      aria-label="Alert settings"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="dialog-body settings-body">
        <table className="alert-channels">
          <thead>
            <tr>
              <th align="left">Alert</th>
              {CHANNELS.map(([, label]) => (
                <th key={label}>{label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ALERT_KIND_NAMES.map((kind) => (
              <tr key={kind}>
                <td>{ALERT_KIND_LABEL[kind]}</td>
                {CHANNELS.map(([channel, label]) => (
                  <td key={channel} className="toggle">
                    <input
                      type="checkbox"
                      aria-label={`${ALERT_KIND_LABEL[kind]}: ${label}`}
                      checked={channels[kind][channel]}
                      onChange={(e) => setChannels({ ...channels, [kind]: { ...channels[kind], [channel]: e.target.checked } })}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <p className="field-help">
          Every alert is listed in the notification centre (the bell); fills only while one of their channels is on. Fills and price alerts also announce themselves as Settings → Trading says.
          {!emailSet && ' Email goes out once a mail server is set in Settings → Email.'}
        </p>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Save
        </button>
      </div>
    </form>
  );
}
