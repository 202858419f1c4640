/**
 * A perpetual's funding in the chart header: the rate the next settlement
 * would charge now, and under it the time left to it, stacked so it stays
 * narrow enough to be seen at 1280 px beside the price. It ticks every
 * second on its own, so the header around it does not re-render for the
 * countdown.
 */
import type { Ticker } from '../../../shared/domain';
import { useNow } from '../../lib/useNow';
import { fmtCountdown, fmtFundingRate } from './perpetualFormat';
import './perpetuals.css';

export function FundingStat({ ticker }: { ticker: Ticker | undefined }) {
  const now = useNow(1000);
  if (!ticker || ticker.fundingRate === undefined || ticker.nextFundingTime === undefined) return null;
  const rate = ticker.fundingRate;
  const sign = rate.startsWith('-') ? 'neg' : rate === '0' ? '' : 'pos';
  return (
    <span
      className="stat funding-stat"
      title="Funding is settled every 8 hours (00:00, 08:00, 16:00 UTC) on open positions; a positive rate means longs pay shorts."
    >
      <span className="stat-label">Funding</span>
      <span className="funding-values">
        <span className={`num ${sign}`} data-testid="funding-rate">
          {fmtFundingRate(rate)}
        </span>
        <span className="num funding-countdown" data-testid="funding-countdown" aria-label="Time to the next funding">
          {fmtCountdown(ticker.nextFundingTime, now)}
        </span>
      </span>
    </span>
  );
}
