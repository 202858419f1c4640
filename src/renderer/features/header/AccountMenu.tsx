/**
 * The account menu in the header: each venue's figures (the header shows
 * their sum) and the currency they are summed in, host details, settings
 * and the paper account reset.
 * Reset wipes orders, positions and balance, so it sits behind a menu and a
 * confirmation, and is offered only on a paper venue.
 */
import { useState } from 'react';
import { Dec } from '../../../shared/decimal';
import { errorMessage } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { fmtMoney } from '../../lib/format';
import { usePopover } from '../../lib/usePopover';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { selectIsPaper } from '../../stores/selectors';
import type { SettingsTab } from '../../stores/ui';
import { VenueAccounts } from './VenueAccounts';

const SETTINGS_ITEMS: [SettingsTab, string][] = [
  ['general', 'Settings…'],
  ['exchanges', 'Exchanges and API keys…'],
];

export function AccountMenu() {
  const { client, store, reload } = useServices();
  const venue = useKeel((s) => s.venue);
  const paper = useKeel(selectIsPaper);
  const info = useKeel((s) => s.info);
  const transport = useKeel((s) => s.connection.transport);
  const openSettings = useKeel((s) => s.openSettings);
  const { open, setOpen, rootRef } = usePopover();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [balance, setBalance] = useState('');
  const [error, setError] = useState<string | null>(null);

  function startReset(): void {
    setOpen(false);
    setError(null);
    setBalance('');
    setConfirming(true);
  }

  async function reset(): Promise<void> {
    if (!venue) return;
    const b = balance.trim();
    if (b !== '' && !(Dec.isValid(b) && Dec.parse(b).isPositive())) {
      setError('Starting balance must be a positive number, or empty for the default.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const summary = await client.invoke('account.reset', { venue, ...(b !== '' ? { balance: b } : {}) });
      store.getState().setAccount(summary);
      setConfirming(false);
      store
        .getState()
        .notify('success', `Paper account reset: balance ${fmtMoney(summary.balance, { grouped: true })} ${summary.currency}`);
      await reload();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="account-menu" ref={rootRef}>
      <button
        type="button"
        className="btn btn-ghost"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        Account ▾
      </button>
      {open && (
        <div className="menu" role="menu" aria-label="Account">
          <VenueAccounts />
          <div className="menu-info">
            <div>
              Keel {info?.version ?? ''} · {info?.mode ?? ''} · {transport === 'ipc' ? 'IPC' : 'WebSocket'}
            </div>
            {info && <div className="muted mono-id" title={info.dataDir}>{info.dataDir}</div>}
          </div>
          {SETTINGS_ITEMS.map(([tab, label]) => (
            <button
              key={tab}
              type="button"
              role="menuitem"
              className="menu-item"
              onClick={() => {
                setOpen(false);
                openSettings(tab);
              }}
            >
              {label}
            </button>
          ))}
          <button
            type="button"
            role="menuitem"
            className="menu-item danger"
            disabled={!paper}
            title={paper ? undefined : 'Only a paper account can be reset'}
            onClick={startReset}
          >
            Reset paper account…
          </button>
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        title="Reset paper account?"
        confirmLabel="Reset account"
        danger
        busy={busy}
        onCancel={() => setConfirming(false)}
        onConfirm={() => void reset()}
      >
        <p>
          This cancels every open order, closes every position and restores the starting balance on the paper
          venue <b>{venue}</b>. History stays in the journal.
        </p>
        <label className="field">
          <span>Starting balance (optional)</span>
          <input
            type="text"
            inputMode="decimal"
            placeholder="default"
            value={balance}
            onChange={(e) => setBalance(e.target.value)}
          />
        </label>
        {error && (
          <p className="dialog-error" role="alert">
            {error}
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}
