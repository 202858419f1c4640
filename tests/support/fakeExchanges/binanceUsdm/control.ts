/**
 * The optional HTTP control surface under /__fake/, so a test driving a
 * separate host process can steer the fake: move marks, arm faults, place an
 * order as another client of the account would, skew the clock and read state.
 * Bodies and answers are JSON; errors answer 400 with { error }.
 */
import type { FailRateSpec, FaultAction, FaultSpec, RouteMatcher } from './faults';
import type { StreamFaultSpec } from './userStream';
import type { OrderRequest } from './types';

/** The part of the fake the control surface may drive. */
export interface ControlTarget {
  setMark(symbol: string, price: string): void;
  inject(spec: FaultSpec): unknown;
  clearFaults(): void;
  setFailRate(spec: FailRateSpec | null): void;
  injectStream(spec: StreamFaultSpec): unknown;
  dropStream(): void;
  setClockSkew(ms: number): void;
  externalOrder(request: OrderRequest): unknown;
  adjustWallet(amount: string): void;
  state(): unknown;
  journal(): unknown;
  streamHistory(): unknown;
}

type JsonMatcher = string | { regex: string; flags?: string };

function matcherOf(value: unknown): RouteMatcher {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { regex?: unknown }).regex === 'string') {
    const { regex, flags } = value as { regex: string; flags?: string };
    return new RegExp(regex, flags);
  }
  throw new Error('match must be "METHOD /path", "/path" or { regex, flags? }');
}

function record(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('body must be a JSON object');
  return body as Record<string, unknown>;
}

function text(value: unknown, name: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new Error(`${name} is required`);
}

export function handleControl(target: ControlTarget, method: string, path: string, body: unknown): { status: number; body: unknown } {
  try {
    const route = `${method} ${path}`;
    switch (route) {
      case 'GET /__fake/state':
        return { status: 200, body: target.state() };
      case 'GET /__fake/journal':
        return { status: 200, body: target.journal() };
      case 'GET /__fake/stream':
        return { status: 200, body: target.streamHistory() };
      case 'POST /__fake/mark': {
        const b = record(body);
        target.setMark(text(b.symbol, 'symbol'), text(b.price, 'price'));
        return { status: 200, body: { ok: true } };
      }
      case 'POST /__fake/faults': {
        const b = record(body);
        if (b.failRate !== undefined) {
          const rate = record(b.failRate);
          const match = rate.match === undefined ? undefined : Array.isArray(rate.match) ? rate.match.map(matcherOf) : matcherOf(rate.match);
          target.setFailRate({
            rate: Number(rate.rate),
            match,
            seed: rate.seed === undefined ? undefined : Number(rate.seed),
            actions: rate.actions as FaultAction[] | undefined,
          });
          return { status: 200, body: { ok: true } };
        }
        target.inject({
          match: matcherOf(b.match as JsonMatcher),
          times: b.times === undefined ? undefined : Number(b.times),
          action: record(b.action) as unknown as FaultAction,
        });
        return { status: 200, body: { ok: true } };
      }
      case 'DELETE /__fake/faults':
        target.clearFaults();
        return { status: 200, body: { ok: true } };
      case 'POST /__fake/stream-faults': {
        const b = record(body);
        const action = text(b.action, 'action');
        if (action === 'dropNow') target.dropStream();
        else target.injectStream({ action: action as StreamFaultSpec['action'], match: b.match as string | undefined, times: b.times as number | undefined });
        return { status: 200, body: { ok: true } };
      }
      case 'POST /__fake/clock': {
        const b = record(body);
        target.setClockSkew(Number(b.skewMs ?? 0));
        return { status: 200, body: { ok: true } };
      }
      case 'POST /__fake/wallet': {
        const b = record(body);
        target.adjustWallet(text(b.amount, 'amount'));
        return { status: 200, body: { ok: true } };
      }
      case 'POST /__fake/external-order': {
        const b = record(body);
        return {
          status: 200,
          body: target.externalOrder({
            symbol: text(b.symbol, 'symbol'),
            side: text(b.side, 'side'),
            type: text(b.type ?? 'LIMIT', 'type'),
            quantity: b.quantity === undefined ? undefined : text(b.quantity, 'quantity'),
            price: b.price === undefined ? undefined : text(b.price, 'price'),
            timeInForce: typeof b.timeInForce === 'string' ? b.timeInForce : b.type === 'MARKET' ? undefined : 'GTC',
            reduceOnly: b.reduceOnly === true,
            clientOrderId: typeof b.clientOrderId === 'string' ? b.clientOrderId : undefined,
          }),
        };
      }
      default:
        return { status: 404, body: { error: `no control route ${route}` } };
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
    return { status: 400, body: { error: message, code } };
  }
}
