/**
 * Full-width banners for the trading state and the emergency machinery:
 * HALTED (red alert, with re-arm), REDUCING (amber status), a failed
 * emergency stop, and an emergency hotkey the OS would not give us. They sit
 * under the header with the connection banners and never auto-hide.
 */
import { fmtSince } from '../../lib/format';
import { useKeel } from '../../stores/KeelProvider';
import { selectUnprotectedPositions } from '../../stores/selectors';
import { displayAccelerator, isMacPlatform } from '../emergency/hotkey';
import { RearmButton } from './RearmDialog';

/** "2 positions are open with no protective stop: BTC/USDT:USDT, ETH/USDT:USDT", or null when every position has one. */
export function unprotectedText(symbols: readonly string[]): string | null {
  if (symbols.length === 0) return null;
  const one = symbols.length === 1;
  return `${symbols.length} position${one ? ' is' : 's are'} open with no protective stop: ${symbols.join(', ')}`;
}

export function TradingStateBanner() {
  const risk = useKeel((s) => s.riskState);
  // A string, so a position event that changes nothing here does not re-render the banner.
  const unprotected = useKeel((s) => selectUnprotectedPositions(s).map((p) => p.symbol).join('\n'));
  if (!risk || risk.state === 'ACTIVE') return null;
  if (risk.state === 'HALTED') {
    const warning = unprotectedText(unprotected ? unprotected.split('\n') : []);
    return (
      <div className="banner banner-halted" role="alert">
        <span className="banner-text">
          <b>HALTED</b> — trading is stopped; only cancels and your reduce-only exits (Close, Flatten all, protective stops)
          are accepted.
          {risk.reason ? <> Reason: {risk.reason}.</> : null} <span className="banner-time">Since {fmtSince(risk.since)}</span>
          {warning && (
            <span className="banner-unprotected" data-testid="unprotected-positions">
              {warning}. Close them, or place reduce-only stops, from the ticket.
            </span>
          )}
        </span>
        <RearmButton className="btn btn-rearm" />
      </div>
    );
  }
  return (
    <div className="banner banner-reducing" role="status">
      <span className="banner-text">
        <b>REDUCING</b> — only orders that reduce exposure are accepted.
        {risk.reason ? <> Reason: {risk.reason}.</> : null} <span className="banner-time">Since {fmtSince(risk.since)}</span>
      </span>
      <RearmButton className="btn btn-xs" />
    </div>
  );
}

export function EmergencyErrorBanner() {
  const error = useKeel((s) => s.emergencyError);
  const clear = useKeel((s) => s.setEmergencyError);
  if (!error) return null;
  return (
    <div className="banner banner-halted" role="alert">
      <span className="banner-text">
        <b>Emergency stop failed:</b> {error}. Orders may still be working: press Emergency stop again, or cancel from the
        blotter.
      </span>
      <button type="button" className="btn btn-xs" onClick={() => clear(null)}>
        Dismiss
      </button>
    </div>
  );
}

export function HotkeyBanner() {
  const hotkey = useKeel((s) => s.hotkey);
  const openSettings = useKeel((s) => s.openSettings);
  if (!hotkey || hotkey.registered) return null;
  const shown = displayAccelerator(hotkey.accelerator, isMacPlatform(navigator.platform));
  return (
    <div className="banner banner-warn banner-hotkey" role="alert">
      <span className="banner-text">
        The emergency hotkey {shown} is not registered with the operating system
        {hotkey.reason ? `: ${hotkey.reason}` : ''}. It works only while this window has focus. Choose another
        combination in Settings (gear button or Account ▸ Settings).
      </span>
      <button type="button" className="btn btn-xs" onClick={() => openSettings('general')}>
        Change hotkey
      </button>
    </div>
  );
}
