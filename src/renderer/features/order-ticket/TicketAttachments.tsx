/**
 * The ticket's advanced order fields, shown for the order types they apply
 * to: a trailing stop's trail (a distance or a percentage); a bracket's
 * take-profit and stop-loss (trigger prices; the stop-loss may trail
 * instead), attached to a market, limit or stop entry and placed
 * reduce-only as it fills; an OCO pair's second leg (a stop, a limit or a
 * take-profit at its price), cancelled when the first triggers or fills.
 */
import { useKeel } from '../../stores/KeelProvider';
import { selectActiveInstrument } from '../../stores/selectors';
import type { OcoLeg, TicketAttachments as Attachments, TrailUnit } from '../../stores/ticketAttachments';
import { takesBracket, takesOco } from './attachmentsModel';
import '../blotter/advancedOrders.css';

export function TicketAttachments() {
  const draft = useKeel((s) => s.ticket);
  const editTicket = useKeel((s) => s.editTicket);
  const inst = useKeel(selectActiveInstrument);
  const a = draft.attach;
  const set = (patch: Partial<Attachments>) => editTicket({ attach: { ...a, ...patch } });
  const bracket = takesBracket(draft.type, draft.reduceOnly);
  const bracketTyped = bracket && (a.takeProfit.trim() !== '' || a.stopLoss.trim() !== '' || a.stopLossTrails);
  const oco = takesOco(draft.type) && !bracketTyped;
  const trails = draft.type === 'trailing_stop' || (bracket && a.stopLossTrails);
  const quote = inst?.quote ?? '';

  return (
    <div className="ticket-attachments">
      {bracket && (
        <div className="field-row" role="group" aria-label="Take-profit and stop-loss">
          <div className="field">
            <label htmlFor="ticket-tp">Take profit</label>
            <div className="input-affix">
              <input
                id="ticket-tp"
                type="text"
                inputMode="decimal"
                autoComplete="off"
                spellCheck={false}
                placeholder="trigger (optional)"
                value={a.takeProfit}
                onChange={(e) => set({ takeProfit: e.target.value })}
              />
              <span className="affix">{quote}</span>
            </div>
          </div>
          <div className="field">
            <div className="label-row">
              <label htmlFor="ticket-sl">Stop loss</label>
              <label className="inline-check" title="The stop-loss trails the best price since the entry filled, by the trail below">
                <input type="checkbox" checked={a.stopLossTrails} onChange={(e) => set({ stopLossTrails: e.target.checked })} />
                trail
              </label>
            </div>
            <div className="input-affix">
              <input
                id="ticket-sl"
                type="text"
                inputMode="decimal"
                autoComplete="off"
                spellCheck={false}
                disabled={a.stopLossTrails}
                placeholder={a.stopLossTrails ? 'trails' : 'trigger (optional)'}
                value={a.stopLossTrails ? '' : a.stopLoss}
                onChange={(e) => set({ stopLoss: e.target.value })}
              />
              <span className="affix">{quote}</span>
            </div>
          </div>
        </div>
      )}
      {trails && (
        <div className="field-row">
          <div className="field">
            <label htmlFor="ticket-trail">{draft.type === 'trailing_stop' ? 'Trail' : 'Stop-loss trail'}</label>
            <input
              id="ticket-trail"
              type="text"
              inputMode="decimal"
              autoComplete="off"
              spellCheck={false}
              placeholder={a.trailUnit === 'percent' ? 'e.g. 1.5' : inst ? `tick ${inst.tickSize}` : ''}
              value={a.trail}
              onChange={(e) => set({ trail: e.target.value })}
            />
          </div>
          <div className="field field-narrow">
            <label htmlFor="ticket-trail-unit">By</label>
            <select id="ticket-trail-unit" value={a.trailUnit} onChange={(e) => set({ trailUnit: e.target.value as TrailUnit })}>
              <option value="percent">%</option>
              <option value="distance">{quote || 'price'}</option>
            </select>
          </div>
        </div>
      )}
      {oco && (
        <div className="field-row" role="group" aria-label="OCO pair">
          <div className="field">
            <label htmlFor="ticket-oco">OCO with</label>
            <select id="ticket-oco" value={a.oco} onChange={(e) => set({ oco: e.target.value as OcoLeg })}>
              <option value="none">—</option>
              <option value="stop">Stop</option>
              <option value="limit">Limit</option>
              <option value="take_profit">Take profit</option>
            </select>
          </div>
          <div className={`field ${a.oco === 'none' ? 'unused' : ''}`}>
            <label htmlFor="ticket-oco-price">{a.oco === 'limit' ? 'Its limit price' : 'Its stop price'}</label>
            <div className="input-affix">
              <input
                id="ticket-oco-price"
                type="text"
                inputMode="decimal"
                autoComplete="off"
                spellCheck={false}
                disabled={a.oco === 'none'}
                placeholder={a.oco === 'none' ? 'not used' : inst ? `tick ${inst.tickSize}` : ''}
                value={a.oco === 'none' ? '' : a.ocoPrice}
                onChange={(e) => set({ ocoPrice: e.target.value })}
              />
              <span className="affix">{quote}</span>
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
