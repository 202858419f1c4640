import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clientOrderIdSchema, orderIdSchema } from './contract';
import { symbol as symbolSchema, venueId as venueIdSchema } from './domain';
import {
  clientOrderId,
  instrumentId,
  instrumentKey,
  orderId,
  parseInstrumentId,
  strategyId,
  tradeId,
  venueId,
  venueOrderId,
  type ClientOrderId,
  type InstrumentId,
  type VenueOrderId,
} from './ids';
import { keelErrorOf } from '../../tests/support/keelError';

function expectRefused(make: (text: string) => unknown, texts: string[]): void {
  for (const text of texts) {
    const error = keelErrorOf(() => make(text));
    expect(error.code, text).toBe('VALIDATION_FAILED');
    expect(error.data).toMatchObject({ value: text });
  }
}

describe('clientOrderId', () => {
  it('accepts 1-36 letters, digits, "-" and "_", unchanged', () => {
    for (const text of ['k', 'kmb3x9q0001a1b2c3d4', 'A_b-9', 'x'.repeat(36)]) expect(clientOrderId(text)).toBe(text);
  });

  it('refuses anything else', () => {
    expectRefused(clientOrderId, ['', 'x'.repeat(37), 'has space', 'dot.ted', 'ünïcode', 'tab\t', 'colon:']);
  });

  it('says what was wrong and what is expected', () => {
    expect(keelErrorOf(() => clientOrderId('a b')).message).toBe('"a b" is not a valid client order id: it must be 1-36 letters, digits, "-" or "_".');
  });

  it('shows at most the start of a long refused text', () => {
    const message = keelErrorOf(() => clientOrderId('y'.repeat(5000))).message;
    expect(message).toContain('(5000 characters)');
    expect(message.length).toBeLessThan(200);
  });

  it('refuses a value that is not a string at all (untyped input)', () => {
    expect(keelErrorOf(() => clientOrderId(42 as unknown as string)).message).toMatch(/^a number is not a valid client order id/);
  });

  it('agrees with the contract on every text', () => {
    const alphabet = fc.constantFrom(...'aZ09_-. :/é\t'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }).map((chars) => chars.join('')), (text) => {
        const contract = clientOrderIdSchema.safeParse(text).success;
        const ours = (() => {
          try {
            clientOrderId(text);
            return true;
          } catch {
            return false;
          }
        })();
        expect(ours).toBe(contract);
      }),
      { numRuns: 1000, seed: 7 },
    );
  });
});

describe('venueOrderId, tradeId and orderId', () => {
  const makers = { venueOrderId, tradeId, orderId };

  for (const [name, make] of Object.entries(makers)) {
    it(`${name} accepts 1-64 visible characters`, () => {
      for (const text of ['1', '8389765512345678', 'paper-t-12', 'ab:cd/ef#1{}', '~'.repeat(64)]) expect(make(text)).toBe(text);
    });

    it(`${name} refuses empty, long, spaced, control or non-ASCII text`, () => {
      expectRefused(make, ['', 'x'.repeat(65), 'a b', ' lead', 'trail ', 'new\nline', 'nul\u0000', 'ümlaut']);
    });
  }

  it('every order id Keel accepts is one the contract accepts', () => {
    for (const text of ['o-kmb3x9q0001a1b2c3d4', 'x'.repeat(64), '1']) {
      expect(orderIdSchema.safeParse(orderId(text)).success).toBe(true);
    }
  });
});

describe('strategyId', () => {
  it('accepts letters, digits, ".", "-" and "_", starting with a letter or digit', () => {
    for (const text of ['ema-cross', 'EmaCross.v2', '7_day', 's'.repeat(64)]) expect(strategyId(text)).toBe(text);
  });

  it('refuses anything else', () => {
    expectRefused(strategyId, ['', '-lead', '.lead', 's'.repeat(65), 'two words', 'slash/ed', 'colon:x']);
  });
});

describe('venueId', () => {
  it('accepts the contract venue ids', () => {
    for (const text of ['paper', 'binance', 'okx', 'binance_usdm', 'kraken-futures']) expect(venueId(text)).toBe(text);
  });

  it('refuses anything else', () => {
    expectRefused(venueId, ['', 'p', 'Paper', '1paper', 'pa per', 'paper:x', 'v'.repeat(33)]);
  });

  it('agrees with the contract on every text', () => {
    const alphabet = fc.constantFrom(...'az09_-A:'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 34 }).map((chars) => chars.join('')), (text) => {
        let ours = true;
        try {
          venueId(text);
        } catch {
          ours = false;
        }
        expect(ours).toBe(venueIdSchema.safeParse(text).success);
      }),
      { numRuns: 1000, seed: 11 },
    );
  });
});

describe('instrument ids', () => {
  it('joins a venue and a unified symbol', () => {
    expect(instrumentKey('paper', 'BTC/USDT:USDT')).toBe('paper:BTC/USDT:USDT');
    expect(instrumentKey('binance', 'ETH/USDT')).toBe('binance:ETH/USDT');
  });

  it('splits at the first ":", so a settle currency stays in the symbol', () => {
    expect(parseInstrumentId('paper:BTC/USDT:USDT')).toEqual({ venue: 'paper', symbol: 'BTC/USDT:USDT' });
    expect(parseInstrumentId('binance:ETH/USDT')).toEqual({ venue: 'binance', symbol: 'ETH/USDT' });
  });

  it('parses what it joins', () => {
    for (const [venue, symbol] of [
      ['paper', 'BTC/USDT:USDT'],
      ['okx', '1000PEPE/USDT:USDT'],
      ['kraken', 'XBT/EUR'],
    ] as const) {
      expect(parseInstrumentId(instrumentKey(venue, symbol))).toEqual({ venue, symbol });
    }
  });

  it('refuses a bad venue or symbol when joining', () => {
    expect(keelErrorOf(() => instrumentKey('Paper', 'BTC/USDT')).data).toMatchObject({ kind: 'venue id' });
    expect(keelErrorOf(() => instrumentKey('paper', 'btc/usdt')).data).toMatchObject({ kind: 'symbol' });
    expect(keelErrorOf(() => instrumentKey('paper', 'BTCUSDT')).code).toBe('VALIDATION_FAILED');
  });

  it('refuses text that is not venue:symbol', () => {
    for (const make of [parseInstrumentId, instrumentId]) {
      expectRefused(make, ['', 'paper', 'paper:', ':BTC/USDT', 'paper:BTCUSDT', 'Paper:BTC/USDT', 'paper:BTC/USDT:', 'paper BTC/USDT', 'paper::BTC/USDT']);
    }
    expect(keelErrorOf(() => instrumentId('paper')).message).toBe(
      '"paper" is not a valid instrument id: it must be a venue id, ":" and a unified symbol, such as "paper:BTC/USDT:USDT".',
    );
  });

  it('checks an instrument id read back as text', () => {
    expect(instrumentId('paper:BTC/USDT:USDT')).toBe('paper:BTC/USDT:USDT');
  });

  it('agrees with the contract on symbols', () => {
    const alphabet = fc.constantFrom(...'AZ09/:a-'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 30 }).map((chars) => chars.join('')), (symbol) => {
        let ours = true;
        try {
          instrumentKey('paper', symbol);
        } catch {
          ours = false;
        }
        expect(ours).toBe(symbolSchema.safeParse(symbol).success);
      }),
      { numRuns: 1000, seed: 13 },
    );
  });
});

describe('the types', () => {
  it('are plain strings at run time', () => {
    const id: ClientOrderId = clientOrderId('k1');
    expect(typeof id).toBe('string');
    expect(JSON.stringify({ id })).toBe('{"id":"k1"}');
  });

  it('cannot be mixed up or made without a constructor', () => {
    const venueSide: VenueOrderId = venueOrderId('123');
    // @ts-expect-error a venue order id is not a client order id
    const mixed: ClientOrderId = venueSide;
    // @ts-expect-error plain text must go through the checked constructor
    const unchecked: InstrumentId = 'paper:BTC/USDT';
    const asText: string = venueSide; // every id is still a string where a string is wanted
    expect([mixed, unchecked, asText]).toHaveLength(3);
  });
});
