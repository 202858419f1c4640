/**
 * What the workstation's regime round costs the engine's thread: the
 * watchlist asks `regime.current` for every instrument at once (the chart's
 * with its band), when the trading view opens, every 30 s and after each
 * bar closes. Measured on a real engine: the first round (each instrument's
 * history read whole), then later rounds, with the longest gap between two
 * event-loop turns while each round runs (what an order or the emergency
 * stop arriving then would wait).
 */
import type { Instrument } from '../src/shared/domain';
import { startBenchKeel } from './benchKeel';
import { percentile } from './stats';

export interface RegimeRoundResult {
  instruments: number;
  firstRoundMs: number;
  firstRoundLongestStallMs: number;
  laterRoundP50Ms: number;
  laterRoundLongestStallMs: number;
}

export async function benchRegimeRound(laterRounds = 20): Promise<RegimeRoundResult> {
  const bench = await startBenchKeel('regime', { seed: 9 });
  const { invoke } = bench;
  try {
    const instruments = (await invoke('market.instruments', { venue: 'paper' })) as Instrument[];
    const round = async (): Promise<{ ms: number; longestStallMs: number }> => {
      let running = true;
      let longestStallMs = 0;
      let lastTurn = performance.now();
      const turn = () => {
        const now = performance.now();
        longestStallMs = Math.max(longestStallMs, now - lastTurn);
        lastTurn = now;
        if (running) setImmediate(turn);
      };
      setImmediate(turn);
      const started = performance.now();
      await Promise.all(
        instruments.map((i, n) => invoke('regime.current', { venue: 'paper', symbol: i.symbol, timeframe: '1m', history: n === 0 ? 500 : 0 })),
      );
      const ms = performance.now() - started;
      running = false;
      return { ms, longestStallMs: Math.max(longestStallMs, performance.now() - lastTurn) };
    };
    const first = await round();
    const later: Array<{ ms: number; longestStallMs: number }> = [];
    for (let r = 0; r < laterRounds; r++) later.push(await round());
    return {
      instruments: instruments.length,
      firstRoundMs: first.ms,
      firstRoundLongestStallMs: first.longestStallMs,
      laterRoundP50Ms: percentile(later.map((r) => r.ms).sort((a, b) => a - b), 50),
      laterRoundLongestStallMs: Math.max(...later.map((r) => r.longestStallMs)),
    };
  } finally {
    await bench.close();
  }
}
