/**
 * The top bar: identity, the selected venue and its state, its PAPER / DEMO
 * / LIVE badge, the trading state, the account's headline numbers (summed
 * over the venues of the same kind of money, in the chosen currency), the
 * connection light, settings and the always-visible emergency stop. Banners
 * under it say plainly when the data on screen cannot be trusted
 * (disconnected, venue blocked, a venue pointed at a test server) and when
 * trading is restricted (HALTED, REDUCING) or the emergency hotkey is not
 * what the trader thinks it is.
 */
import { fmtMoney, fmtRealizedBreakdown, pnlClass } from '../../lib/format';
import { SCHEME_BADGE, SCHEME_TITLE, VENUE_STATE_LABEL } from '../../lib/venueScheme';
import { useKeel } from '../../stores/KeelProvider';
import { selectHeaderTotals, selectVenueIds, selectVenueScheme, selectVenueStatus, venueViewOf } from '../../stores/selectors';
import { EmergencyStopButton } from '../emergency/EmergencyStop';
import { EmergencyErrorBanner, HotkeyBanner, TradingStateBanner } from '../risk/RiskBanners';
import { TradingStateBadge } from '../risk/TradingStateBadge';
import { AccountMenu } from './AccountMenu';
import { NotificationCenter } from '../alert-center/NotificationCenter';


function Stat({ label, value, className, title, name }: { label: string; value: string; className?: string; title?: string; name?: string }) {
  return (
    <div className={`hstat ${name ? `hstat-${name}` : ''}`} title={title}>
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
  const venues = useKeel(selectVenueIds);
  const venue = useKeel((s) => s.venue);
  const chooseVenue = useKeel((s) => s.chooseVenue);
  const status = useKeel(selectVenueStatus);
  const scheme = useKeel(selectVenueScheme);
  const totals = useKeel(selectHeaderTotals);
  const connection = useKeel((s) => s.connection);
  const lag = useKeel((s) => s.eventLoopLagMs);

  const cur = totals?.currency ?? '';
  const summed = totals && totals.venues.length > 1 ? `Sum of ${totals.venues.join(', ')} in ${cur}` : undefined;
  const connLabel =
    connection.state === 'open' ? 'Connected' : connection.state === 'connecting' ? 'Connecting…' : 'Disconnected';

  return (
    <header className="header">
      <Logo />
      <div className="venue">
        <div className="hstat">
          <span className="hstat-label">Venue</span>
          {venues.length > 1 ? (
            <select aria-label="Venue" value={venue ?? ''} onChange={(e) => chooseVenue(e.target.value)}>
              {venues.map((v) => (
                <option key={v} value={v}>
                  {v}
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
        {scheme && (
          <span className={`scheme-badge scheme-badge-${scheme}`} title={SCHEME_TITLE[scheme]}>
            {SCHEME_BADGE[scheme]}
          </span>
        )}
        <TradingStateBadge />
      </div>
      <div className="hstats" title={summed}>
        <Stat
          label={totals && totals.venues.length > 1 ? `Equity Σ${totals.venues.length}` : 'Equity'}
          value={totals ? `${fmtMoney(totals.equity, { grouped: true })} ${cur}` : '—'}
          title={summed}
        />
        <Stat label="Available" value={totals ? fmtMoney(totals.available, { grouped: true }) : '—'} />
        <Stat
          label="Unrealized PnL"
          value={totals ? fmtMoney(totals.unrealizedPnl, { signed: true, grouped: true }) : '—'}
          className={pnlClass(totals?.unrealizedPnl)}
        />
        <Stat
          label="Realized PnL"
          value={totals ? fmtMoney(totals.realizedPnl, { signed: true, grouped: true }) : '—'}
          className={pnlClass(totals?.realizedPnl)}
          title={totals ? fmtRealizedBreakdown(totals) : undefined}
        />
        <Stat name="margin" label="Margin used" value={totals ? fmtMoney(totals.marginUsed, { grouped: true }) : '—'} />
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
        <NotificationCenter />
        <SettingsButton />
        <EmergencyStopButton />
      </div>
    </header>
  );
}

function SettingsButton() {
  const openSettings = useKeel((s) => s.openSettings);
  return (
    <button type="button" className="btn btn-ghost btn-icon" aria-label="Settings" title="Settings" onClick={() => openSettings()}>
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
  const view = useKeel((s) => venueViewOf(s, s.venue));
  const openSettings = useKeel((s) => s.openSettings);
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
      {view?.overrideUrl && (
        <div className="banner banner-warn" role="status">
          Test server: venue {view.id} talks to {view.overrideUrl} instead of the exchange.
        </div>
      )}
      {status && (status.state === 'blocked' || status.state === 'disconnected') && (
        <div className="banner banner-error">
          Venue {status.venue} is {status.state}
          {status.reason ? `: ${status.reason}` : ''}. Trading on it is blocked until this is resolved.
          {view?.removable && (
            <button type="button" className="btn btn-xs banner-action" onClick={() => openSettings('exchanges')}>
              Open Settings → Exchanges
            </button>
          )}
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
