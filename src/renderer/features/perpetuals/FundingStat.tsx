/**
 * A perpetual's funding in the chart header: the rate the next settlement
 * would charge now and the time left to it, side by side on the header's one
 * line (the header drops its least important figures first where it is
 * narrow, and shortens the label: ChartHeader). It ticks every second on its
 * own, so the header around it does not re-render for the countdown.
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
      <span className="stat-label">
        <span className="funding-label-long">Funding</span>
        <abbr className="funding-label-short" title="Funding">
          Fund.
        </abbr>
      </span>
      <span className={`num ${sign}`} data-testid="funding-rate">
        {fmtFundingRate(rate)}
      </span>
      <span className="num funding-countdown" data-testid="funding-countdown" aria-label="Time to the next funding">
        {fmtCountdown(ticker.nextFundingTime, now)}
      </span>
    </span>
  );
}
