/**
 * Keeps the regime of the watchlist's instruments current on the selected
 * timeframe while the trading view is on screen: asked at once, then every
 * 30 s and just after each bar closes. Only the instrument on the chart asks
 * for its recent history (the band); the others ask for the label alone, so
 * a round is a few small answers. A failed answer keeps the last one shown.
 */
import { useEffect } from 'react';
import type { RegimeView } from '../../../shared/contract';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { selectVenueInstruments } from '../../stores/selectors';
import { nextRegimeDelay } from './regimeStyle';

/** Bars of history the chart's band shows. */
export const BAND_BARS = 500;

export function useRegimeSync(): void {
  const { client, store } = useServices();
  const venue = useKeel((s) => s.venue);
  const symbol = useKeel((s) => s.symbol);
  const timeframe = useKeel((s) => s.timeframe);
  const epoch = useKeel((s) => s.syncEpoch);
  const onScreen = useKeel((s) => s.workspaceView === 'trade');
  const instruments = useKeel(selectVenueInstruments);
  const symbols = instruments.map((i) => i.symbol).join('\n');

  useEffect(() => {
    const list = symbols === '' ? [] : symbols.split('\n');
    if (!venue || epoch === 0 || !onScreen || list.length === 0) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const round = async (): Promise<void> => {
      const answers = await Promise.all(
        list.map((s) =>
          client.invoke('regime.current', { venue, symbol: s, timeframe, history: s === symbol ? BAND_BARS : 0 }).catch(() => null),
        ),
      );
      if (stopped) return;
      store.getState().setRegimes(answers.filter((a): a is RegimeView => a !== null));
      timer = setTimeout(() => void round(), nextRegimeDelay(Date.now(), timeframe));
    };
    void round();
    return () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
    };
  }, [client, store, venue, symbol, symbols, timeframe, epoch, onScreen]);
}
