/**
 * Market-data events per second delivered to a browser client: Chromium
 * opens the headless host's WebSocket, subscribes to the market topics and
 * counts what arrives. Measured twice: at the simulated market's natural
 * rate, and under a flood of ticks for many instruments published straight
 * onto the engine bus (where coalescing keeps the latest value per key).
 */
import { chromium } from 'playwright-core';
import { startWsHost } from '../src/main/host/wsServer';
import type { Ticker } from '../src/shared/domain';
import { startBenchKeel } from './benchKeel';

export interface DeliveryResult {
  seconds: number;
  naturalEventsPerSecond: number;
  floodPublishedPerSecond: number;
  floodDeliveredPerSecond: number;
  /** Largest gap between two event-loop turns on the host while flooding, in ms. */
  floodMaxLoopStallMs: number;
}

export async function benchMarketDataDelivery(seconds = 5): Promise<DeliveryResult> {
  const bench = await startBenchKeel('md', { seed: 5 });
  const { keel } = bench;
  const token = 'bench-md-token-0123456789';
  const host = await startWsHost({ server: keel.server, token, host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({
    executablePath: process.env.KEEL_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    // A page on the host's own origin, so the WebSocket's Origin is accepted.
    await page.goto(`http://127.0.0.1:${host.port}/not-found`);
    const count = (ms: number) =>
      page.evaluate(
        ({ port, token, ms }) =>
          new Promise<number>((resolve) => {
            const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc?token=${token}`);
            let events = 0;
            ws.onopen = () => ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'events.subscribe', params: { topics: ['market.tick', 'market.candle'] } }));
            ws.onmessage = (m) => {
              if (String(m.data).includes('"method":"event"')) events += 1;
            };
            setTimeout(() => {
              ws.close();
              resolve(events);
            }, ms);
          }),
        { port: host.port, token, ms },
      );

    const natural = await count(seconds * 1000);

    // Flood: 300 instruments' ticks as fast as the loop allows, while the browser counts.
    const template = keel.engine.ticker('paper', 'BTC/USDT:USDT');
    let published = 0;
    let flooding = true;
    let maxStall = 0;
    let lastTurn = performance.now();
    const flood = () => {
      if (!flooding) return;
      const now = performance.now();
      maxStall = Math.max(maxStall, now - lastTurn);
      lastTurn = now;
      for (let i = 0; i < 2_000; i += 1) {
        const ticker: Ticker = { ...template, symbol: `X${published % 300}/USDT:USDT`, timestamp: Date.now() };
        keel.engine.bus.publish('market.tick', ticker);
        published += 1;
      }
      setImmediate(flood);
    };
    const counting = count(seconds * 1000);
    const floodStart = performance.now();
    setImmediate(flood);
    const delivered = await counting;
    flooding = false;
    const floodSeconds = (performance.now() - floodStart) / 1000;
    return {
      seconds,
      naturalEventsPerSecond: natural / seconds,
      floodPublishedPerSecond: published / floodSeconds,
      floodDeliveredPerSecond: delivered / seconds,
      floodMaxLoopStallMs: maxStall,
    };
  } finally {
    await browser.close();
    await host.close();
    await bench.close();
  }
}
