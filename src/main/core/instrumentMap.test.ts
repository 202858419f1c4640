import { describe, expect, it } from 'vitest';
import { InstrumentMap } from './instrumentMap';

describe('InstrumentMap', () => {
  it('keeps a value per venue and symbol, and forgets a whole venue', () => {
    const map = new InstrumentMap<number>();
    map.set('paper', 'BTC/USDT:USDT', 1);
    map.set('paper', 'ETH/USDT:USDT', 2);
    map.set('binance', 'BTC/USDT:USDT', 3);
    map.set('paper', 'BTC/USDT:USDT', 4);
    expect(map.get('paper', 'BTC/USDT:USDT')).toBe(4);
    expect(map.get('binance', 'BTC/USDT:USDT')).toBe(3);
    expect(map.get('paper', 'SOL/USDT:USDT')).toBeUndefined();
    map.deleteVenue('paper');
    expect(map.get('paper', 'ETH/USDT:USDT')).toBeUndefined();
    expect(map.get('binance', 'BTC/USDT:USDT')).toBe(3);
  });
});
