/**
 * Where bars come from: an imported dataset, or a venue's stored history
 * (venue, symbol and timeframe through MarketFields). The form that uses it
 * keeps the choices and says what they mean to it.
 */
import type { Dataset } from '../../../shared/contract';
import type { Timeframe } from '../../../shared/domain';
import { MarketFields } from './MarketFields';
import type { MarketChoice } from './marketChoice';

export type SourceKind = 'dataset' | 'venue';

interface Props {
  ids: string;
  kind: SourceKind;
  onKind(kind: SourceKind): void;
  datasets: readonly Dataset[];
  dataset: string;
  onDataset(id: string): void;
  market: MarketChoice;
  timeframe: Timeframe;
  onVenue(venue: string): void;
  onSymbol(symbol: string): void;
  onTimeframe(timeframe: Timeframe): void;
}

export function DataSourceFields({ ids, kind, onKind, datasets, dataset, onDataset, market, timeframe, onVenue, onSymbol, onTimeframe }: Props) {
  return (
    <>
      <div className="seg seg-wide" role="radiogroup" aria-label="Data source">
        <button type="button" role="radio" className="seg-btn" aria-checked={kind === 'dataset'} aria-pressed={kind === 'dataset'} onClick={() => onKind('dataset')}>
          Dataset
        </button>
        <button type="button" role="radio" className="seg-btn" aria-checked={kind === 'venue'} aria-pressed={kind === 'venue'} onClick={() => onKind('venue')}>
          Venue history
        </button>
      </div>
      {kind === 'dataset' ? (
        <div className="field">
          <label htmlFor={`${ids}-dataset`}>Dataset</label>
          <select id={`${ids}-dataset`} value={dataset} onChange={(e) => onDataset(e.target.value)}>
            {datasets.length === 0 && <option value="">No datasets: import one in Backtests</option>}
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.bars.toLocaleString('en-US')} bars)
              </option>
            ))}
          </select>
        </div>
      ) : (
        <MarketFields
          ids={ids}
          venue={market.venue}
          venues={market.venues}
          symbol={market.symbol}
          instruments={market.instruments}
          timeframe={timeframe}
          onVenue={onVenue}
          onSymbol={onSymbol}
          onTimeframe={onTimeframe}
        />
      )}
    </>
  );
}
