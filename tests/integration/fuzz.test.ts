/**
 * Seeded fuzzing of the headless host over one authenticated WebSocket:
 * thousands of malformed frames (every contract method with broken params,
 * unknown methods, bad envelopes, batches, text that is not JSON, binary
 * frames, huge and deeply nested values). The host, a child process, must
 * answer each with a small typed JSON-RPC error (or, for a query that happens
 * to be valid, a result the contract accepts), keep running, and leave the
 * books exactly as they were. A frame above the size limit or text that is
 * not UTF-8 closes only its own connection. Set KEEL_FUZZ_SEED to replay
 * another seed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ID_LENGTH, MAX_PAYLOAD_BYTES } from '../../src/main/host/wsServer';
import { methods, type MethodName } from '../../src/shared/contract';
import { Dec } from '../../src/shared/decimal';
import { booksSnapshot, priceAway, smallestQuantity } from '../support/books';
import { HOST_FAILURE_LOG, startHost, type ChildHost } from '../support/childHost';
import { malformedFrames, type MalformedFrame } from '../support/malformed';
import { isErrorCode, RpcSocket, rpcUrl, type Received } from '../support/rpcSocket';

const SEED = Number(process.env.KEEL_FUZZ_SEED ?? 0x5eed_f022);
const FRAMES = 5_000;
/** Frames awaiting their reply at once: enough to keep the host busy. */
const WINDOW = 16;
/** No refusal may be larger than this, whatever the request's size. */
const MAX_ERROR_REPLY_BYTES = 16 * 1024;
/** A query that happens to be valid (1,440 candles, say) answers in full, but within reason. */
const MAX_OK_REPLY_BYTES = 4 * 1024 * 1024;
const REPLY_TIMEOUT_MS = 10_000;
const BTC = { venue: 'paper', symbol: 'BTC/USDT:USDT' } as const;
/** WebSocket close codes: a frame above the host's limit, and text that is not UTF-8. */
const CLOSE_MESSAGE_TOO_BIG = 1009;
const CLOSE_INVALID_PAYLOAD = 1007;

let dataDir: string;
let host: ChildHost;
let rpc: RpcSocket;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'keel-fuzz-'));
  host = await startHost({ dataDir, seed: 9 });
  rpc = await RpcSocket.open(rpcUrl(host.port, host.token));
});

afterAll(async () => {
  await rpc?.close();
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Tally {
  codes: Map<string, number>;
  ok: number;
  replies: number;
  maxErrorBytes: number;
  problems: string[];
}

function describeFrame(index: number, frame: MalformedFrame): string {
  const text = typeof frame.data === 'string' ? frame.data : `<${frame.data.length} bytes>`;
  return `#${index} ${frame.kind} (${frame.label}): ${text.length > 200 ? `${text.slice(0, 200)}…(${text.length} chars)` : text}`;
}

function checkReply(index: number, frame: MalformedFrame, reply: Received, tally: Tally): void {
  const problem = (what: string) => {
    if (tally.problems.length < 20) tally.problems.push(`${describeFrame(index, frame)}\n  -> ${what}: ${reply.text.slice(0, 300)}`);
  };
  tally.replies += 1;
  const m = reply.message;
  if (m.jsonrpc !== '2.0') return problem('not a JSON-RPC 2.0 reply');
  if (!frame.replyIds.some((id) => id === m.id)) return problem(`id ${JSON.stringify(m.id)}, expected one of ${JSON.stringify(frame.replyIds)}`);
  if ((m.error === undefined) === (m.result === undefined)) return problem('a reply must carry exactly one of result and error');
  if (m.error !== undefined) {
    const code = m.error.data?.code;
    tally.codes.set(String(code), (tally.codes.get(String(code)) ?? 0) + 1);
    tally.maxErrorBytes = Math.max(tally.maxErrorBytes, reply.bytes);
    if (!Number.isInteger(m.error.code) || typeof m.error.message !== 'string') problem('error without a numeric code and a message');
    if (!isErrorCode(code)) problem(`error.data.code ${JSON.stringify(code)} is not one of ERROR_CODES`);
    if (code === 'INTERNAL') problem('a malformed request reached an unexpected failure');
    if (reply.bytes > MAX_ERROR_REPLY_BYTES) problem(`a ${reply.bytes}-byte refusal`);
    if (frame.kind === 'not-json' && !isJsonText(frame.data) && m.error.code !== -32700) problem('text that is not JSON must get -32700');
    if (frame.kind === 'unknown-method' && frame.replyIds[0] !== null && (code !== 'UNKNOWN_METHOD' || m.error.code !== -32601)) {
      problem('an unknown method must get UNKNOWN_METHOD / -32601');
    }
    return;
  }
  tally.ok += 1;
  if (frame.method === null || methods[frame.method].kind !== 'query') return problem('only a query may succeed');
  if (reply.bytes > MAX_OK_REPLY_BYTES) problem(`a ${reply.bytes}-byte result`);
  const parsed = methods[frame.method].result.safeParse(m.result);
  if (!parsed.success) problem(`result outside the contract: ${parsed.error.message.slice(0, 300)}`);
}

function isJsonText(data: string | Buffer): boolean {
  try {
    JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

describe('fuzzing the WebSocket host', () => {
  it(`answers ${FRAMES} malformed frames with small typed errors, stays up and leaves the books untouched (seed ${SEED})`, { timeout: 60_000 }, async () => {
    // Books with something in them: a resting order (whose id the generator aims cancels at) and an open position.
    const instruments = await rpc.ok('market.instruments', { venue: 'paper' });
    const btc = instruments.find((i) => i.symbol === BTC.symbol)!;
    const ticker = await rpc.ok('market.ticker', BTC);
    const quantity = smallestQuantity(btc, Dec.parse(ticker.ask)).toString();
    const resting = await rpc.ok('orders.place', { ...BTC, side: 'buy', type: 'limit', quantity, price: priceAway(btc, ticker.bid, -0.08), clientOrderId: 'fuzz-resting' });
    expect(resting.status).toBe('open');
    const filled = await rpc.ok('orders.place', { ...BTC, side: 'buy', type: 'market', quantity, clientOrderId: 'fuzz-position' });
    expect(filled.status).toBe('filled');
    const config = await rpc.ok('risk.limits.get', { venue: 'paper' });
    const summary = await rpc.ok('account.summary', {});

    const goodValues: Record<string, unknown> = {
      ...BTC,
      side: 'sell',
      type: 'limit',
      quantity,
      price: priceAway(btc, ticker.ask, 0.08),
      stopPrice: priceAway(btc, ticker.bid, -0.08),
      timeInForce: 'GTC',
      postOnly: false,
      reduceOnly: false,
      clientOrderId: 'fuzz-resting',
      overridePriceBand: false,
      triggerNow: false,
      orderId: resting.id,
      status: 'all',
      limit: 10,
      cursor: 'abc',
      timeframe: '1m',
      depth: 5,
      leverage: 5,
      balance: summary.balance,
      config,
      state: 'HALTED',
      reason: 'fuzz',
      flatten: true,
      trigger: 'button',
      confirm: true,
      settings: {},
      orderFailureRate: 1,
      cancelFailureRate: 1,
      latencyMs: 10,
      topics: ['risk.state'],
    };
    const frames = malformedFrames({ seed: SEED, count: FRAMES, goodValues, maxFrameBytes: MAX_PAYLOAD_BYTES, maxIdLength: MAX_ID_LENGTH });
    // Every method of the contract is exercised.
    const perMethod = new Map<MethodName, number>();
    for (const f of frames) if (f.method !== null) perMethod.set(f.method, (perMethod.get(f.method) ?? 0) + 1);
    for (const name of Object.keys(methods) as MethodName[]) expect(perMethod.get(name) ?? 0, name).toBeGreaterThanOrEqual(20);

    const before = await booksSnapshot(rpc);
    const stateBefore = (await rpc.ok('risk.status', {})).state;
    expect(before.orders.map((o) => o.id)).toEqual(expect.arrayContaining([resting.id, filled.id]));
    expect(before.positions).toHaveLength(1);

    const tally: Tally = { codes: new Map(), ok: 0, replies: 0, maxErrorBytes: 0, problems: [] };
    // Replies may come out of order (a connection runs several requests at once): they are matched by id.
    // Frames refused before they are read as a request (not JSON, bad envelope, binary) are answered with
    // id null, at once and in the order they arrived, so those are matched in order.
    const byId = new Map<string, number>();
    const byNull: number[] = [];
    let outstanding = 0;
    const takeOne = async () => {
      const reply = await rpc.nextReply(REPLY_TIMEOUT_MS).catch((error: unknown) => {
        const waiting = [...byId.values(), ...byNull].slice(0, 3).map((i) => describeFrame(i, frames[i]!));
        throw new Error(`${String(error)}; still unanswered:\n${waiting.join('\n')}\n${host.stderr().slice(-2000)}`);
      });
      const id = reply.message.id;
      const index = id === null || id === undefined ? byNull.shift() : byId.get(JSON.stringify(id));
      if (index === undefined) {
        tally.problems.push(`a reply no frame asked for: ${reply.text.slice(0, 300)}`);
        return;
      }
      if (id !== null && id !== undefined) byId.delete(JSON.stringify(id));
      outstanding -= 1;
      checkReply(index, frames[index]!, reply, tally);
    };
    const started = performance.now();
    for (const [index, frame] of frames.entries()) {
      rpc.sendRaw(frame.data, frame.binary);
      const [id] = frame.replyIds;
      if (id === undefined) continue;
      if (id === null) byNull.push(index);
      else byId.set(JSON.stringify(id), index);
      outstanding += 1;
      while (outstanding >= WINDOW) await takeOne();
    }
    while (outstanding > 0) await takeOne();
    const elapsedMs = performance.now() - started;

    // Still up, still answering on this very connection, and nothing unanswered or extra.
    const info = await rpc.ok('system.info', {});
    expect(info.name).toBe('Keel');
    expect(rpc.isOpen).toBe(true);
    expect(rpc.unclaimedReplies).toBe(0);
    expect(host.isRunning()).toBe(true);
    expect(tally.problems, tally.problems.join('\n\n')).toEqual([]);
    expect(host.stderr()).not.toMatch(HOST_FAILURE_LOG);
    expect(tally.maxErrorBytes).toBeLessThanOrEqual(MAX_ERROR_REPLY_BYTES);

    // Nothing any refused call could have touched moved.
    const after = await booksSnapshot(rpc);
    expect(after).toEqual(before);
    expect((await rpc.ok('risk.status', {})).state).toBe(stateBefore);

    console.info(
      `fuzz seed ${SEED}: ${frames.length} frames, ${tally.replies} replies (${tally.ok} ok) in ${Math.round(elapsedMs)} ms; ` +
        `largest refusal ${tally.maxErrorBytes} B; codes ${JSON.stringify(Object.fromEntries(tally.codes))}`,
    );
  });

  it('closes only the offending connection on an oversized or invalid UTF-8 frame', async () => {
    const url = rpcUrl(host.port, host.token);
    const oversized = await RpcSocket.open(url);
    oversized.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system.info', params: { pad: 'x'.repeat(MAX_PAYLOAD_BYTES) } }));
    expect((await oversized.closed).code).toBe(CLOSE_MESSAGE_TOO_BIG);

    const badUtf8 = await RpcSocket.open(url);
    // A text frame whose bytes are not UTF-8.
    badUtf8.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await badUtf8.closed).code).toBe(CLOSE_INVALID_PAYLOAD);

    expect((await rpc.ok('system.info', {})).name).toBe('Keel');
    expect(host.isRunning()).toBe(true);
    expect(host.stderr()).not.toMatch(HOST_FAILURE_LOG);
  });
});
