/**
 * The top bar: identity, venue and its state, the PAPER badge, the trading
 * state, the account's headline numbers, the connection light, settings and
 * the always-visible emergency stop. Banners under it say plainly when the
 * data on screen cannot be trusted (disconnected, venue blocked) and when
 * trading is restricted (HALTED, REDUCING) or the emergency hotkey is not
 * what the trader thinks it is.
 */
import type { VenueStatus } from '../../../shared/domain';
import { fmtMoney, fmtRealizedBreakdown, pnlClass } from '../../lib/format';
import { useKeel } from '../../stores/KeelProvider';
import { selectAccount, selectIsPaper, selectVenueStatus } from '../../stores/selectors';
import { EmergencyStopButton } from '../emergency/EmergencyStop';
import { EmergencyErrorBanner, HotkeyBanner, TradingStateBanner } from '../risk/RiskBanners';
import { TradingStateBadge } from '../risk/TradingStateBadge';
import { AccountMenu } from './AccountMenu';

const VENUE_STATE_LABEL: Record<VenueStatus['state'], string> = {
  connecting: 'connecting',
  reconciling: 'reconciling',
  ready: 'ready',
  blocked: 'blocked',
  disconnected: 'disconnected',
};

function Stat({ label, value, className, title }: { label: string; value: string; className?: string; title?: string }) {
  return (
    <div className="hstat" title={title}>
      <span className="hstat-label">{label}</span>
      <span className={`hstat-value num ${className ?? ''}`}>{value}</span>
    </div>
  );
}

function Logo() {
  return (
    <div className="logo" aria-label="Keel">
      <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
        <path d="M3 6h18l-3 5H6z" fill="currentColor" opacity="0.9" />
        <path d="M11 11h2v9l-1 2-1-2z" fill="currentColor" />
      </svg>
      <span>Keel</span>
    </div>
  );
}

export function Header() {
  const venues = useKeel((s) => s.venues);
  const venue = useKeel((s) => s.venue);
  const setVenue = useKeel((s) => s.setVenue);
  const status = useKeel(selectVenueStatus);
  const paper = useKeel(selectIsPaper);
  const account = useKeel(selectAccount);
  const connection = useKeel((s) => s.connection);
  const lag = useKeel((s) => s.eventLoopLagMs);

  const cur = account?.currency ?? '';
  const connLabel =
    connection.state === 'open' ? 'Connected' : connection.state === 'connecting' ? 'Connecting…' : 'Disconnected';

  return (
    <header className="header">
      <Logo />
      <div className="venue">
        <div className="hstat">
          <span className="hstat-label">Venue</span>
          {venues.length > 1 ? (
            <select aria-label="Venue" value={venue ?? ''} onChange={(e) => setVenue(e.target.value)}>
              {venues.map((v) => (
                <option key={v.venue} value={v.venue}>
                  {v.venue}
                </option>
              ))}
            </select>
          ) : (
            <span className="venue-name">{venue ?? '—'}</span>
          )}
        </div>
        {status && (
          <span className={`venue-state venue-${status.state}`} title={status.reason ?? undefined}>
            {VENUE_STATE_LABEL[status.state]}
          </span>
        )}
        {paper && (
          <span className="paper-badge" title="Paper trading: simulated market, no real money">
            PAPER
          </span>
        )}
        <TradingStateBadge />
      </div>
      <div className="hstats">
        <Stat label="Equity" value={account ? `${fmtMoney(account.equity, { grouped: true })} ${cur}` : '—'} />
        <Stat label="Available" value={account ? fmtMoney(account.available, { grouped: true }) : '—'} />
        <Stat
          label="Unrealized PnL"
          value={account ? fmtMoney(account.unrealizedPnl, { signed: true, grouped: true }) : '—'}
          className={pnlClass(account?.unrealizedPnl)}
        />
        <Stat
          label="Realized PnL"
          value={account ? fmtMoney(account.realizedPnl, { signed: true, grouped: true }) : '—'}
          className={pnlClass(account?.realizedPnl)}
          title={account ? fmtRealizedBreakdown(account) : undefined}
        />
        <Stat label="Margin used" value={account ? fmtMoney(account.marginUsed, { grouped: true }) : '—'} />
      </div>
      <div className="header-right">
        <div
          className={`conn conn-${connection.state}`}
          role="status"
          aria-label={`Connection: ${connLabel}`}
          title={connection.detail ?? `${connection.transport === 'ipc' ? 'Electron IPC' : 'WebSocket'}${lag !== null ? ` · event loop lag ${lag.toFixed(0)} ms` : ''}`}
        >
          <span className="dot" aria-hidden="true" />
          <span>{connLabel}</span>
        </div>
        <AccountMenu />
        <SettingsButton />
        <EmergencyStopButton />
      </div>
    </header>
  );
}

function SettingsButton() {
  const openSettings = useKeel((s) => s.openSettings);
  return (
    <button type="button" className="btn btn-ghost btn-icon" aria-label="Settings" title="Settings" onClick={openSettings}>
      <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true">
        <path
          fill="currentColor"
          d="M19.4 13a7.5 7.5 0 0 0 0-2l2.1-1.6-2-3.5-2.5 1a7.4 7.4 0 0 0-1.7-1L15 3.3h-4l-.4 2.6a7.4 7.4 0 0 0-1.7 1l-2.5-1-2 3.5L6.6 11a7.5 7.5 0 0 0 0 2l-2.2 1.6 2 3.5 2.5-1a7.4 7.4 0 0 0 1.7 1l.4 2.6h4l.4-2.6a7.4 7.4 0 0 0 1.7-1l2.5 1 2-3.5zM13 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7z"
          transform="translate(-1 0)"
        />
      </svg>
    </button>
  );
}

export function Banners() {
  const connection = useKeel((s) => s.connection);
  const status = useKeel(selectVenueStatus);
  const syncError = useKeel((s) => s.syncError);
  return (
    <>
      <TradingStateBanner />
      <EmergencyErrorBanner />
      <HotkeyBanner />
      {connection.state !== 'open' && connection.detail && (
        <div className="banner banner-error">
          {connection.detail}. Figures on screen may be stale; nothing is sent until the connection is back.
        </div>
      )}
      {status && (status.state === 'blocked' || status.state === 'disconnected') && (
        <div className="banner banner-error">
          Venue {status.venue} is {status.state}
          {status.reason ? `: ${status.reason}` : ''}. Trading on it is blocked until this is resolved.
        </div>
      )}
      {status && status.state === 'reconciling' && (
        <div className="banner banner-warn">Venue {status.venue} is reconciling with the journal; trading opens when it is done.</div>
      )}
      {syncError && connection.state === 'open' && (
        <div className="banner banner-warn">Some data failed to load: {syncError}</div>
      )}
    </>
  );
}
