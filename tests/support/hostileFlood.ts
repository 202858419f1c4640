/**
 * A hostile but authenticated client, for the test and the benchmark of the
 * emergency stop under attack. It floods one connection with: an
 * `events.subscribe` of 100,000 topics (about 200 KB), an `orders.place`
 * whose quantity is a 200 KB string, thousands of malformed frames, and a
 * stream of identical orders the risk gate refuses (each a journaled denial
 * unless denials are coalesced). On a second connection it sends a ~1 MB
 * `events.subscribe` of 500,000 topics, larger than the host accepts. The
 * replies it gets are collected for the caller to judge.
 */
import type { PlaceOrderParams } from '../../src/shared/contract';
import { Dec } from '../../src/shared/decimal';
import { smallestQuantity } from './books';
import { malformedFrames } from './malformed';
import { Rng } from './rng';
import { RpcSocket, rpcUrl, type Received } from './rpcSocket';

export interface FloodConfig {
  port: number;
  token: string;
  seed: number;
  malformed: number;
  denials: number;
  /** An order the risk gate refuses, sent `denials` times unchanged. */
  denied: PlaceOrderParams;
  /** Valid values for params fields, for the malformed frames to break. */
  goodValues: Record<string, unknown>;
  maxFrameBytes: number;
  maxIdLength: number;
}

export interface FloodFrame {
  data: string | Buffer;
  binary: boolean;
  expectsReply: boolean;
}

export interface Flood {
  /** Replies the flooding connection received so far. */
  replies: Received[];
  expectedReplies: number;
  /** Resolves once every reply owed has arrived (or either socket closed early). */
  done: Promise<FloodOutcome>;
  /** Resolves once `count` replies have arrived: the flood is then known to be under way. */
  repliesReached(count: number): Promise<void>;
  close(): Promise<void>;
}

export interface FloodOutcome {
  replies: Received[];
  /** What the oversized frame got: a close code, or a reply if the host read it. */
  oversized: { closeCode: number | null; reply: Received | null };
  /** Set when the flooding connection closed before every reply arrived. */
  floodClosedEarly: number | null;
  finishedAt: number;
}

/** The frames of one flood, seeded: the two big ones first, then malformed frames and denials mixed. */
export function floodFrames(config: FloodConfig): FloodFrame[] {
  const rng = new Rng(config.seed);
  const big: FloodFrame[] = [
    { data: subscribeFrame('flood-topics', 100_000), binary: false, expectsReply: true },
    {
      data: JSON.stringify({ jsonrpc: '2.0', id: 'flood-quantity', method: 'orders.place', params: { ...config.denied, quantity: '9'.repeat(200_000) } }),
      binary: false,
      expectsReply: true,
    },
  ];
  const malformed = malformedFrames({
    seed: config.seed,
    count: config.malformed,
    goodValues: config.goodValues,
    maxFrameBytes: config.maxFrameBytes,
    maxIdLength: config.maxIdLength,
    allowValidQueries: false,
  }).map((f) => ({ data: f.data, binary: f.binary, expectsReply: f.replyIds.length > 0 }));
  const denial = JSON.stringify({ jsonrpc: '2.0', id: 'flood-denied', method: 'orders.place', params: config.denied });
  const frames = [...big];
  let m = 0;
  let d = 0;
  while (m < malformed.length || d < config.denials) {
    const takeDenial = d < config.denials && (m >= malformed.length || rng.chance(config.denials / (config.denials + config.malformed)));
    if (takeDenial) {
      frames.push({ data: denial, binary: false, expectsReply: true });
      d += 1;
    } else {
      frames.push(malformed[m]!);
      m += 1;
    }
  }
  return frames;
}

/** `events.subscribe` with `topics` zeros: about two bytes per topic. */
export function subscribeFrame(id: string, topics: number): string {
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"method":"events.subscribe","params":{"topics":[${new Array<string>(topics).fill('0').join(',')}]}}`;
}

/** Sends the flood (all of it at once; the socket buffers what the host has not read yet). */
export async function startFlood(config: FloodConfig, frames: FloodFrame[]): Promise<Flood> {
  const url = rpcUrl(config.port, config.token);
  const flooder = await RpcSocket.open(url);
  const oversizedSocket = await RpcSocket.open(url);
  const expectedReplies = frames.filter((f) => f.expectsReply).length;
  const replies: Received[] = [];
  const thresholds: Array<{ count: number; resolve: () => void }> = [];
  let oversizedReply: Received | null = null;

  const done = new Promise<FloodOutcome>((resolve) => {
    let finished = false;
    const finish = (closedEarly: number | null) => {
      if (finished) return;
      finished = true;
      const finishedAt = performance.now();
      for (const t of thresholds.splice(0)) t.resolve();
      // The oversized frame ends in a close (1009) or, from a host that reads it, in a reply.
      void oversizedSocket
        .nextReply(30_000)
        .then((r) => (oversizedReply = r))
        .catch(() => null)
        .then(() =>
          resolve({
            replies,
            oversized: { closeCode: oversizedSocket.closeCode, reply: oversizedReply },
            floodClosedEarly: closedEarly,
            finishedAt,
          }),
        );
    };
    const pump = async () => {
      while (replies.length < expectedReplies) {
        const reply = await flooder.nextReply(60_000).catch(() => null);
        if (reply === null) return finish(flooder.closeCode ?? -1);
        replies.push(reply);
        for (const t of thresholds.filter((x) => replies.length >= x.count)) {
          thresholds.splice(thresholds.indexOf(t), 1);
          t.resolve();
        }
      }
      finish(null);
    };
    void pump();
    void flooder.closed.then(({ code }) => {
      if (replies.length < expectedReplies) finish(code);
    });
  });

  oversizedSocket.sendRaw(subscribeFrame('flood-oversized', 500_000));
  for (const frame of frames) flooder.sendRaw(frame.data, frame.binary);

  return {
    replies,
    expectedReplies,
    done,
    repliesReached: (count) =>
      replies.length >= count ? Promise.resolve() : new Promise<void>((resolve) => thresholds.push({ count, resolve })),
    close: async () => {
      await Promise.all([flooder.close(), oversizedSocket.close()]);
    },
  };
}

/**
 * What a flood needs from the host: an order the risk gate refuses (worth
 * twice the order-value limit, from the ticker and the lot size; the limit is
 * switched on if it was off) and valid values for the malformed frames.
 */
export async function prepareFlood(rpc: RpcSocket): Promise<{ denied: PlaceOrderParams; goodValues: Record<string, unknown> }> {
  const symbol = 'BTC/USDT:USDT';
  const instrument = (await rpc.ok('market.instruments', { venue: 'paper' })).find((i) => i.symbol === symbol)!;
  const ticker = await rpc.ok('market.ticker', { venue: 'paper', symbol });
  const ask = Dec.parse(ticker.ask);
  const lot = Dec.parse(instrument.lotSize);
  let config = await rpc.ok('risk.limits.get', { venue: 'paper' });
  if (config.account.maxOrderNotional === null) {
    const limit = smallestQuantity(instrument, ask).mul(ask).mul(Dec.parse('100')).ceilTo(Dec.ONE).toString();
    config = await rpc.ok('risk.limits.set', { config: { ...config, account: { ...config.account, maxOrderNotional: limit } } });
  }
  const quantity = Dec.parse(config.account.maxOrderNotional!).mul(Dec.parse('2')).div(ask).ceilTo(lot).toString();
  const denied: PlaceOrderParams = { venue: 'paper', symbol, side: 'buy', type: 'market', quantity };
  const goodValues: Record<string, unknown> = {
    venue: 'paper',
    symbol,
    side: 'buy',
    type: 'market',
    quantity,
    price: ticker.bid,
    stopPrice: ticker.ask,
    timeInForce: 'GTC',
    orderId: 'no-such-order',
    clientOrderId: 'flood-1',
    status: 'all',
    limit: 10,
    timeframe: '1m',
    leverage: 5,
    config,
    state: 'HALTED',
    flatten: false,
    confirm: true,
    settings: {},
    topics: ['risk.state'],
  };
  return { denied, goodValues };
}
