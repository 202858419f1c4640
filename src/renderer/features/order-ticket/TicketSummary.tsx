/**
 * What the order would cost before it is sent: notional, estimated fee and
 * initial margin, from the draft and the live touch. Subscribes to the ticker
 * itself so the rest of the ticket does not re-render every frame.
 */
import { Dec } from '../../../shared/decimal';
import { fmtMoney } from '../../lib/format';
import { useKeel } from '../../stores/KeelProvider';
import { selectAccount, selectActiveInstrument, selectActiveTicker } from '../../stores/selectors';
import { sizedDraft } from './sizing';
import { previewTicket } from './ticketModel';

function pct(rate: Dec | null): string {
  if (!rate) return '';
  return `${rate.mul(Dec.fromBigInt(100n)).toString()}%`;
}

export function TicketSummary() {
  const draft = useKeel((s) => s.ticket);
  const inst = useKeel(selectActiveInstrument);
  const ticker = useKeel(selectActiveTicker);
  const account = useKeel(selectAccount);
  const leverage = inst ? account?.leverage?.[inst.symbol] : undefined;
  // Sized by value or share of margin, the preview is of the quantity that will be sent.
  const sized = sizedDraft(draft, inst, ticker, { leverage: leverage ?? inst?.defaultLeverage ?? 1, available: account?.available ?? null });
  const p = previewTicket(sized.draft, inst, ticker, leverage);
  const quote = inst?.quote ?? '';
  let overAvailable = false;
  try {
    overAvailable = !!(p.margin && account && p.margin.gt(Dec.parse(account.available)));
  } catch {
    overAvailable = false;
  }
  return (
    <div className="ticket-summary">
      <dl className="kv">
        <dt>Notional</dt>
        <dd className="num" data-testid="ticket-notional">
          {p.notional ? `${fmtMoney(p.notional.toString())} ${quote}` : '—'}
        </dd>
        <dt>
          Est. fee <span className="muted">({p.feeKind} {pct(p.feeRate)})</span>
        </dt>
        <dd className="num" data-testid="ticket-fee">
          {p.fee ? `${fmtMoney(p.fee.toString(), { digits: 4 })} ${quote}` : '—'}
        </dd>
        <dt>
          Initial margin <span className="muted">({p.leverage}×)</span>
        </dt>
        <dd className={`num ${overAvailable ? 'warn' : ''}`} data-testid="ticket-margin">
          {p.margin ? `${fmtMoney(p.margin.toString())} ${quote}` : '—'}
        </dd>
        <dt>Available</dt>
        <dd className="num">{account ? `${fmtMoney(account.available, { grouped: true })} ${account.currency}` : '—'}</dd>
      </dl>
    </div>
  );
}
