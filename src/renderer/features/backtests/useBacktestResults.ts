/**
 * Fetches the full result of finished runs the view needs (the one on screen,
 * the ones compared) once each, and again when a run's status moves on
 * (a copy fetched while it was running is superseded). Results are kept in
 * the store, so switching runs back and forth does not fetch again.
 *
 * `useRunPrices` fetches the bars a run traded on, for its price chart: a
 * dataset's through `datasets.bars` (folded by the engine when there are
 * many), a venue's stored candles through `market.candles`.
 */
import { useEffect, useRef, useState } from 'react';
import type { BacktestData, BacktestSettings, DatasetBar } from '../../../shared/contract';
import { TIMEFRAME_MS } from '../../../shared/domain';
import { errorMessage } from '../../api/client';
import { isFinished } from '../../stores/backtests';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { CHART_EQUITY_POINTS } from './equityData';
import { candleBars, runRange } from './priceData';

/** A venue's candles asked for a run: as many as `market.candles` gives. */
const VENUE_CANDLES = 5_000;

export function useBacktestResults(ids: readonly string[]): Record<string, string> {
  const { client, store } = useServices();
  const backtests = useKeel((s) => s.backtests);
  const results = useKeel((s) => s.backtestResults);
  const inFlight = useRef(new Set<string>());
  const [errors, setErrors] = useState<Record<string, string>>({});

  const wanted = ids
    .map((id) => backtests.find((b) => b.id === id))
    .filter((b) => b !== undefined && isFinished(b.status) && results[b.id]?.status !== b.status)
    .map((b) => `${b!.id}:${b!.status}`)
    .join(',');

  useEffect(() => {
    if (!wanted) return;
    for (const key of wanted.split(',')) {
      if (inFlight.current.has(key)) continue;
      inFlight.current.add(key);
      const id = key.slice(0, key.lastIndexOf(':'));
      client.invoke('backtests.get', { id, equityPoints: CHART_EQUITY_POINTS }).then(
        (result) => {
          inFlight.current.delete(key);
          store.getState().setBacktestResult(result);
          setErrors((e) => {
            if (!(id in e)) return e;
            const next = { ...e };
            delete next[id];
            return next;
          });
        },
        (err: unknown) => {
          inFlight.current.delete(key);
          setErrors((e) => ({ ...e, [id]: errorMessage(err) }));
        },
      );
    }
  }, [client, store, wanted]);

  return errors;
}

export interface RunPrices {
  bars: DatasetBar[];
  /** The time one bar spans (the data's period, or a folded bucket's). */
  bucketMs: number;
  /** Where the data ends (exclusive), when known; a trade at or after it is on no bar. */
  end: number | undefined;
}

export type RunPricesState = { status: 'loading' } | { status: 'ready'; prices: RunPrices } | { status: 'error'; message: string };

/** The bars of the run's data over the range it played; fetched again only when the run or its range changes. */
export function useRunPrices(data: BacktestData, settings: Pick<BacktestSettings, 'from' | 'to'>): RunPricesState {
  const { client } = useServices();
  const range = runRange(data, settings);
  const key = JSON.stringify({ data, range });
  const [state, setState] = useState<{ key: string; value: RunPricesState }>({ key, value: { status: 'loading' } });

  useEffect(() => {
    const { data: source, range: within } = JSON.parse(key) as { data: BacktestData; range: { from?: number; to?: number } };
    let cancelled = false;
    const load = async (): Promise<RunPrices> => {
      if ('dataset' in source) {
        const answer = await client.invoke('datasets.bars', { id: source.dataset, ...within });
        // The bars run to the end of the range asked, or of the dataset: the last bucket holds whatever follows its start.
        return { bars: answer.bars, bucketMs: answer.bucketMs, end: within.to ?? Number.POSITIVE_INFINITY };
      }
      const candles = await client.invoke('market.candles', { venue: source.venue, symbol: source.symbol, timeframe: source.timeframe, limit: VENUE_CANDLES });
      return { bars: candleBars(candles, within), bucketMs: TIMEFRAME_MS[source.timeframe], end: undefined };
    };
    load().then(
      (prices) => {
        if (!cancelled) setState({ key, value: { status: 'ready', prices } });
      },
      (err: unknown) => {
        if (!cancelled) setState({ key, value: { status: 'error', message: errorMessage(err) } });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, key]);

  return state.key === key ? state.value : { status: 'loading' };
}
