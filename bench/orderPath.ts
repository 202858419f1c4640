/**
 * Order-path benchmarks on a real engine with the SQLite journal on disk:
 * in-process place-to-ack through the contract dispatcher, and the same call
 * as a WebSocket JSON-RPC round trip through the headless host.
 */
import { join } from 'node:path';
import WebSocket from 'ws';
import { JOURNAL_FILE } from '../src/main/journal/database';
import { journalFileSizes } from '../src/main/monitor/journalFiles';
import { startWsHost } from '../src/main/host/wsServer';
import { Dec } from '../src/shared/decimal';
import type { Order, Ticker } from '../src/shared/domain';
import type { RiskConfig } from '../src/shared/risk';
import { startBenchKeel } from './benchKeel';
import { nowUs, summarize, type LatencySummary } from './stats';

const BTC = { venue: 'paper', symbol: 'BTC/USDT:USDT' } as const;

/**
 * A price below the market, inside the 10% price band, so the order rests.
 * The risk limits stay on (their cost is part of what is measured) except the
 * order-rate limits, which a benchmark exceeds by design.
 */
async function prepare(invoke: (m: string, p: unknown) => Promise<unknown>): Promise<string> {
  const config = (await invoke('risk.limits.get', {})) as RiskConfig;
  await invoke('risk.limits.set', { config: { ...config, account: { ...config.account, maxOrdersPerSecond: null, maxOrdersPerMinute: null } } });
  const ticker = (await invoke('market.ticker', BTC)) as Ticker;
  return Dec.parse(ticker.bid).mul(Dec.parse('0.93')).floorTo(Dec.parse('0.1')).toString();
}

/** Place-to-ack latencies, and the largest the journal's WAL file grew while the orders streamed in back to back. */
export interface PlaceToAck extends LatencySummary {
  walPeakBytes: number;
}

export async function benchPlaceToAck(iterations: number): Promise<PlaceToAck> {
  const bench = await startBenchKeel('place', { seed: 1 });
  const { invoke } = bench;
  try {
    const price = await prepare(invoke);
    const journal = join(bench.dataDir, JOURNAL_FILE);
    let walPeakBytes = 0;
    const samples: number[] = [];
    for (let i = 0; i < iterations + 200; i += 1) {
      const start = nowUs();
      const order = (await invoke('orders.place', { ...BTC, side: 'buy', type: 'limit', quantity: '0.001', price })) as Order;
      const elapsed = nowUs() - start;
      if (order.status !== 'open') throw new Error(`expected an open order, got ${order.status}`);
      if (i >= 200) samples.push(elapsed); // the first 200 warm the JIT and SQLite caches
      if (i % 100 === 99) {
        await invoke('orders.cancelAll', {});
        walPeakBytes = Math.max(walPeakBytes, journalFileSizes(journal).walBytes);
      }
    }
    return { ...summarize(samples), walPeakBytes };
  } finally {
    await bench.close();
  }
}

export async function benchWebSocketRoundTrip(iterations: number): Promise<LatencySummary> {
  const bench = await startBenchKeel('ws', { seed: 2 });
  const token = 'bench-token-0123456789';
  const host = await startWsHost({ server: bench.keel.server, token, host: '127.0.0.1', port: 0 });
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${token}`);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let nextId = 1;
  const waiting = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>();
  ws.on('message', (raw) => {
    const message = JSON.parse(raw.toString()) as { id?: number; result?: unknown; error?: { message: string } };
    if (message.id !== undefined) waiting.get(message.id)?.(message);
  });
  const call = (method: string, params: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, (m) => {
        waiting.delete(id);
        if (m.error) reject(new Error(m.error.message));
        else resolve(m.result);
      });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  try {
    const price = await prepare(call);
    const samples: number[] = [];
    for (let i = 0; i < iterations + 200; i += 1) {
      const start = nowUs();
      await call('orders.place', { ...BTC, side: 'buy', type: 'limit', quantity: '0.001', price });
      const elapsed = nowUs() - start;
      if (i >= 200) samples.push(elapsed);
      if (i % 100 === 99) await call('orders.cancelAll', {});
    }
    return summarize(samples);
  } finally {
    ws.close();
    await host.close();
    await bench.close();
  }
}
