/**
 * Settings → Trading: which actions ask first (Cancel all and what it
 * cancels, Flatten all, Close, orders above a value), how fills and
 * triggered stops announce themselves (toast, tone, desktop notification),
 * and resetting this window's layout. These are the desk's own preferences,
 * kept on this computer; each change applies at once.
 */
import { useId, useState } from 'react';
import { noticePermission, requestNoticePermission, type NoticePermission } from '../../lib/desktopNotice';
import { playTone } from '../../lib/tone';
import { useKeel } from '../../stores/KeelProvider';
import { isThreshold, type DeskPrefs } from '../../stores/deskPrefs';
import { isDefaultLayout } from '../../stores/layout';
import './tradingSettings.css';

const PERMISSION_TEXT: Record<NoticePermission, string> = {
  granted: 'The system allows Keel’s notifications.',
  denied: 'The system blocks Keel’s notifications: allow them in the system or browser settings to use this.',
  default: 'The system will ask whether Keel may show notifications.',
  unsupported: 'Desktop notifications are not available here.',
};

export function TradingSettings({ onDone }: { onDone(): void }) {
  const prefs = useKeel((s) => s.deskPrefs);
  const setPrefs = useKeel((s) => s.setDeskPrefs);
  const resetLayout = useKeel((s) => s.resetLayout);
  const layoutIsDefault = useKeel((s) => isDefaultLayout(s.layout));
  const [valueText, setValueText] = useState(prefs.confirmAboveValue);
  const [permission, setPermission] = useState<NoticePermission>(noticePermission());
  const ids = useId();
  const valueOk = isThreshold(valueText.trim().replace(/,/g, ''));

  const check = (key: keyof DeskPrefs, label: string, help?: string) => (
    <label className="check-row">
      <input type="checkbox" checked={prefs[key] === true} onChange={(e) => setPrefs({ [key]: e.target.checked })} />
      <span>
        {label}
        {help && <span className="field-help check-help">{help}</span>}
      </span>
    </label>
  );

  async function setDesktop(on: boolean): Promise<void> {
    if (!on) {
      setPrefs({ announceDesktop: false });
      return;
    }
    const answer = await requestNoticePermission();
    setPermission(answer);
    setPrefs({ announceDesktop: answer === 'granted' });
  }

  return (
    <div>
      <div className="dialog-body settings-body">
        <fieldset className="limits-group">
          <legend>Ask before</legend>
          {check('confirmCancelAll', 'Cancel all', 'It takes protective stops and take-profits with it.')}
          <div className="radio-row" role="radiogroup" aria-label="Cancel all cancels">
            <span className="radio-label">Cancel all cancels</span>
            <label>
              <input
                type="radio"
                name={`${ids}-scope`}
                checked={prefs.cancelAllScope === 'all'}
                onChange={() => setPrefs({ cancelAllScope: 'all' })}
              />
              every open order shown
            </label>
            <label>
              <input
                type="radio"
                name={`${ids}-scope`}
                checked={prefs.cancelAllScope === 'symbol'}
                onChange={() => setPrefs({ cancelAllScope: 'symbol' })}
              />
              the selected instrument’s only
            </label>
          </div>
          {check('confirmFlatten', 'Flatten all')}
          {check('confirmClose', 'Closing a position', 'Off by default: an exit is reduce-only and often urgent.')}
          <div className="check-row check-row-value">
            <input
              id={`${ids}-above`}
              type="checkbox"
              checked={prefs.confirmAbove}
              disabled={!valueOk}
              onChange={(e) => setPrefs({ confirmAbove: e.target.checked })}
            />
            <label htmlFor={`${ids}-above`}>An order worth more than</label>
            <input
              type="text"
              inputMode="decimal"
              className="threshold-input"
              aria-label="Order value that asks first"
              aria-invalid={!valueOk}
              aria-describedby={valueOk ? undefined : `${ids}-above-error`}
              value={valueText}
              onChange={(e) => {
                setValueText(e.target.value);
                const cleaned = e.target.value.trim().replace(/,/g, '');
                if (isThreshold(cleaned)) setPrefs({ confirmAboveValue: cleaned });
              }}
            />
            <span className="muted">in the quote currency</span>
          </div>
          {!valueOk && (
            <p id={`${ids}-above-error`} className="field-error" role="alert">
              Enter a value above zero, such as 10000.
            </p>
          )}
        </fieldset>

        <fieldset className="limits-group">
          <legend>Fills and triggered stops</legend>
          {check('announceToast', 'Show a notice on screen')}
          <div className="check-row">
            <label className="check-row-inline">
              <input type="checkbox" checked={prefs.announceSound} onChange={(e) => setPrefs({ announceSound: e.target.checked })} />
              Play a tone (rising for a buy, falling for a sell, two beeps for a trigger)
            </label>
            <button type="button" className="btn btn-xs" onClick={() => playTone('buy')}>
              Try it
            </button>
          </div>
          <label className="check-row">
            <input type="checkbox" checked={prefs.announceDesktop} onChange={(e) => void setDesktop(e.target.checked)} />
            <span>
              A desktop notification while this window is not focused
              <span className={`field-help check-help ${permission === 'denied' ? 'warn' : ''}`}>{PERMISSION_TEXT[permission]}</span>
            </span>
          </label>
        </fieldset>

        <fieldset className="limits-group">
          <legend>Layout</legend>
          <div className="check-row">
            <button type="button" className="btn" disabled={layoutIsDefault} onClick={resetLayout}>
              Reset layout
            </button>
            <span className="field-help">Every splitter back to its default and every pane shown, in this window.</span>
          </div>
        </fieldset>
        <p className="field-help">Kept on this computer and shared by its windows; each change applies at once.</p>
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn btn-primary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
