/**
 * The emergency stop with and without a hostile client: the headless host
 * runs in a child process; per run, the desk's page sends
 * `emergency.stop {flatten:false}` once on a quiet host and once while an
 * authenticated client floods it (a 100,000-topic subscribe, a 200 KB
 * quantity, malformed frames, identical refused orders, and a ~1 MB frame on
 * a second connection; see tests/support/hostileFlood.ts). Measured from
 * sending the stop: its reply, and the HALTED event on the page's socket.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_ID_LENGTH, MAX_PAYLOAD_BYTES } from '../src/main/host/wsServer';
import { startHost } from '../tests/support/childHost';
import { floodFrames, prepareFlood, startFlood, type FloodConfig } from '../tests/support/hostileFlood';
import { RpcSocket, rpcUrl } from '../tests/support/rpcSocket';
import { summarize, type LatencySummary } from './stats';

const MALFORMED = 3_000;
const DENIALS = 2_000;
/** The stop goes out once the flood is this far along: the host is busy with it and most of it is still queued. */
const STOP_AFTER_FLOOD_REPLIES = 500;

export interface StopLatency {
  replyMs: LatencySummary;
  haltedMs: LatencySummary;
}

export interface HostileClientBench {
  runs: number;
  quiet: StopLatency;
  flood: StopLatency;
  /** How long each flood took to be answered in full, from its first frame. */
  floodDurationMs: LatencySummary;
}

async function timedStop(desk: RpcSocket): Promise<{ replyMs: number; haltedMs: number }> {
  const sentAt = performance.now();
  const halted = desk.waitForEvent('risk.state', (d) => (d as { state: string }).state === 'HALTED', 60_000);
  const stop = await desk.call('emergency.stop', { flatten: false }, 60_000);
  if (!stop.ok) throw new Error(`emergency.stop failed: ${stop.code} ${stop.message}`);
  const event = await halted;
  return { replyMs: stop.reply.at - sentAt, haltedMs: event.at - sentAt };
}

export async function benchHostileClient(runs = 10): Promise<HostileClientBench> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keel-bench-hostile-'));
  const host = await startHost({ dataDir, seed: 31 });
  const url = rpcUrl(host.port, host.token);
  const observer = await RpcSocket.open(url);
  const desk = await RpcSocket.open(url, { origin: `http://127.0.0.1:${host.port}` });
  const quiet = { reply: [] as number[], halted: [] as number[] };
  const flooded = { reply: [] as number[], halted: [] as number[] };
  const durations: number[] = [];
  try {
    const { denied, goodValues } = await prepareFlood(observer);
    await desk.ok('events.subscribe', { topics: ['risk.state'] });
    const rearm = async () => {
      await desk.ok('emergency.rearm', { confirm: true });
      // Events from earlier runs must not be taken for this run's HALTED.
      desk.events.length = 0;
    };
    for (let run = 0; run < runs; run += 1) {
      await rearm();
      const calm = await timedStop(desk);
      quiet.reply.push(calm.replyMs);
      quiet.halted.push(calm.haltedMs);

      await rearm();
      const config: FloodConfig = {
        port: host.port,
        token: host.token,
        seed: 1_000 + run,
        malformed: MALFORMED,
        denials: DENIALS,
        denied,
        goodValues,
        maxFrameBytes: MAX_PAYLOAD_BYTES,
        maxIdLength: MAX_ID_LENGTH,
      };
      const frames = floodFrames(config);
      const startedAt = performance.now();
      const flood = await startFlood(config, frames);
      await flood.repliesReached(STOP_AFTER_FLOOD_REPLIES);
      const underFlood = await timedStop(desk);
      flooded.reply.push(underFlood.replyMs);
      flooded.halted.push(underFlood.haltedMs);
      const outcome = await flood.done;
      await flood.close();
      if (outcome.floodClosedEarly !== null) throw new Error(`the flooding connection was closed (${outcome.floodClosedEarly})`);
      durations.push(outcome.finishedAt - startedAt);
    }
  } finally {
    await desk.close();
    await observer.close();
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return {
    runs,
    quiet: { replyMs: summarize(quiet.reply), haltedMs: summarize(quiet.halted) },
    flood: { replyMs: summarize(flooded.reply), haltedMs: summarize(flooded.halted) },
    floodDurationMs: summarize(durations),
  };
}

interface BenchRow {
  name: string;
  value: string;
  target: string;
  met: boolean | null;
}

/** Runs the benchmark, files its figures under `results.hostileClient` and returns its table rows. */
export async function hostileClientRows(results: Record<string, unknown>, runs = 10): Promise<BenchRow[]> {
  const bench = await benchHostileClient(runs);
  results.hostileClient = bench;
  const ms = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  return [
    { name: 'Emergency stop over WebSocket, quiet host: reply p50 ms', value: ms(bench.quiet.replyMs.p50), target: '—', met: null },
    { name: 'Emergency stop over WebSocket, quiet host: reply p99 ms', value: ms(bench.quiet.replyMs.p99), target: '—', met: null },
    { name: 'Emergency stop, quiet host: HALTED event p99 ms', value: ms(bench.quiet.haltedMs.p99), target: '—', met: null },
    { name: 'Emergency stop under a hostile flood: reply p50 ms', value: ms(bench.flood.replyMs.p50), target: '—', met: null },
    { name: 'Emergency stop under a hostile flood: reply p99 ms', value: ms(bench.flood.replyMs.p99), target: '< 1,500', met: bench.flood.replyMs.p99 < 1500 },
    { name: 'Emergency stop under a hostile flood: HALTED event p50 ms', value: ms(bench.flood.haltedMs.p50), target: '—', met: null },
    { name: 'Emergency stop under a hostile flood: HALTED event p99 ms', value: ms(bench.flood.haltedMs.p99), target: '< 1,500', met: bench.flood.haltedMs.p99 < 1500 },
    { name: 'Hostile flood answered in full, p50 ms', value: ms(bench.floodDurationMs.p50), target: '—', met: null },
  ];
}
