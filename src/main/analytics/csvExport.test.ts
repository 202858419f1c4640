import { describe, expect, it } from 'vitest';
import { BTC_PERP } from '../../../tests/support/fixtures';
import type { RoundTripView } from '../../shared/contract/analytics';
import { Dec } from '../../shared/decimal';
import type { Fill, Instrument } from '../../shared/domain';
import { coinTrackerDate, csvField, fillsCsv, koinlyDate, safeText, taxLotsCsv, tradesCsv, type ExportLookups } from './csvExport';
import type { ClosedLot } from './fifoLots';

const SPOT: Instrument = { ...BTC_PERP, venue: 'binance', symbol: 'BTC/USDT', kind: 'spot' };
const lookups: ExportLookups = {
  instrumentOf: (venue, symbol) => [BTC_PERP, SPOT].find((i) => i.venue === venue && i.symbol === symbol),
  currencyOf: () => 'USDT',
};
const T = Date.UTC(2025, 2, 14, 9, 26, 53);

const fill = (patch: Partial<Fill>): Fill => ({
  tradeId: 't1',
  orderId: 'o1',
  clientOrderId: 'c1',
  venue: 'paper',
  symbol: BTC_PERP.symbol,
  side: 'sell',
  quantity: '0.5',
  price: '64000',
  fee: '16',
  feeCurrency: 'USDT',
  liquidity: 'taker',
  realizedPnl: '250',
  timestamp: T,
  ...patch,
});

const lines = (content: string) => content.split('\r\n').filter((l) => l !== '');

describe('CSV exports', () => {
  it('write dates as each tool reads them, in UTC', () => {
    expect(koinlyDate(T)).toBe('2025-03-14 09:26 UTC');
    expect(coinTrackerDate(T)).toBe('03/14/2025 09:26:53');
  });

  it('quote fields per RFC 4180 and defuse text a spreadsheet would run', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(safeText('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(safeText('-5 was a bad idea')).toBe("'-5 was a bad idea");
    expect(safeText('fine')).toBe('fine');
  });

  it("list fills in Keel's columns", () => {
    const { content, rows } = fillsCsv([fill({})], 'keel', lookups);
    expect(rows).toBe(1);
    expect(lines(content)).toEqual([
      'Time (UTC),Venue,Symbol,Side,Quantity,Price,Fee,Fee Currency,Liquidity,Realized PnL,Trade ID,Order ID,Client Order ID',
      `2025-03-14T09:26:53.000Z,paper,${BTC_PERP.symbol},sell,0.5,64000,16,USDT,taker,250,t1,o1,c1`,
    ]);
  });

  it("put a perpetual's fill in Koinly's universal layout as realized gain and margin fee, and a spot fill as a trade", () => {
    const { content, rows } = fillsCsv(
      [
        fill({}),
        fill({ tradeId: 't2', realizedPnl: '-40', fee: '-1' }),
        fill({ tradeId: 't3', realizedPnl: '0' }),
        fill({ tradeId: 't4', venue: 'binance', symbol: 'BTC/USDT', side: 'buy', quantity: '0.01', price: '60000', fee: '0.00001', feeCurrency: 'BTC', realizedPnl: '0' }),
      ],
      'koinly',
      lookups,
    );
    expect(lines(content)).toEqual([
      'Date,Sent Amount,Sent Currency,Received Amount,Received Currency,Fee Amount,Fee Currency,Net Worth Amount,Net Worth Currency,Label,Description,TxHash',
      `2025-03-14 09:26 UTC,,,250,USDT,,,,,realized gain,PnL of sell 0.5 ${BTC_PERP.symbol} @ 64000 on paper,t1`,
      `2025-03-14 09:26 UTC,16,USDT,,,,,,,margin fee,Fee of sell 0.5 ${BTC_PERP.symbol} @ 64000 on paper,t1-fee`,
      `2025-03-14 09:26 UTC,40,USDT,,,,,,,realized gain,PnL of sell 0.5 ${BTC_PERP.symbol} @ 64000 on paper,t2`,
      `2025-03-14 09:26 UTC,,,1,USDT,,,,,fee refund,Fee of sell 0.5 ${BTC_PERP.symbol} @ 64000 on paper,t2-fee`,
      `2025-03-14 09:26 UTC,16,USDT,,,,,,,margin fee,Fee of sell 0.5 ${BTC_PERP.symbol} @ 64000 on paper,t3-fee`,
      '2025-03-14 09:26 UTC,600,USDT,0.01,BTC,0.00001,BTC,,,,buy 0.01 BTC/USDT @ 60000 on binance,t4',
    ]);
    expect(rows).toBe(6);
  });

  it("put the same fills in CoinTracker's layout with its margin tags", () => {
    const { content } = fillsCsv(
      [fill({}), fill({ tradeId: 't2', realizedPnl: '-40', fee: '-1' }), fill({ tradeId: 't4', venue: 'binance', symbol: 'BTC/USDT', side: 'sell', quantity: '0.01', price: '60000', fee: '0.6', realizedPnl: '0' })],
      'cointracker',
      lookups,
    );
    expect(lines(content)).toEqual([
      'Date,Received Quantity,Received Currency,Sent Quantity,Sent Currency,Fee Amount,Fee Currency,Tag',
      '03/14/2025 09:26:53,250,USDT,,,,,margin gain',
      '03/14/2025 09:26:53,,,16,USDT,,,margin fee',
      '03/14/2025 09:26:53,,,40,USDT,,,margin loss',
      '03/14/2025 09:26:53,1,USDT,,,,,margin rebate',
      '03/14/2025 09:26:53,600,USDT,0.01,BTC,0.6,USDT,',
    ]);
  });

  const trip: RoundTripView = {
    id: 'paper:t1',
    venue: 'paper',
    symbol: BTC_PERP.symbol,
    side: 'short',
    status: 'closed',
    currency: 'USDT',
    openedAt: T - 3_600_000,
    closedAt: T,
    durationMs: 3_600_000,
    quantity: '2',
    peakQuantity: '2',
    openQuantity: '0',
    entryPrice: '50',
    exitPrice: '55',
    grossPnl: '-10',
    fees: '1',
    funding: '-0.5',
    netPnl: '-11.5',
    unrealizedPnl: null,
    returnPct: -11.5,
    rMultiple: -1.15,
    source: 'strategy',
    sourceId: 's-1',
    model: { modelId: 'm1', modelName: 'btc-dir', modelVersion: 3 },
    regime: 'trending_up',
    stopPrice: '55',
    initialRisk: '10',
    fills: 2,
    note: '=1+1, "fast"',
    tags: ['fade', 'news'],
  };

  it('list round trips with every column, and as one PnL row each in a tax layout', () => {
    const keel = lines(tradesCsv([trip], 'keel').content);
    expect(keel[0]).toBe(
      'Round Trip,Venue,Symbol,Side,Opened (UTC),Closed (UTC),Quantity,Entry Price,Exit Price,Gross PnL,Fees,Funding,Net PnL,Currency,Return %,R Multiple,Stop,Source,Strategy or Client,Model,Regime,Fills,Tags,Note',
    );
    expect(keel[1]).toBe(
      `paper:t1,paper,${BTC_PERP.symbol},short,2025-03-14T08:26:53.000Z,2025-03-14T09:26:53.000Z,2,50,55,-10,1,-0.5,-11.5,USDT,-11.5,-1.15,55,strategy,s-1,btc-dir v3,trending_up,2,fade; news,"'=1+1, ""fast"""`,
    );
    const cointracker = lines(tradesCsv([trip], 'cointracker').content);
    expect(cointracker[1]).toBe('03/14/2025 09:26:53,,,11.5,USDT,,,margin loss');
  });

  const lot: ClosedLot = {
    venue: 'paper',
    symbol: BTC_PERP.symbol,
    side: 'short',
    quantity: Dec.parse('2'),
    openTradeId: 't1',
    openOrderId: 'o1',
    openedAt: T - 400 * 86_400_000,
    openPrice: Dec.parse('50'),
    closeTradeId: 't2',
    closeOrderId: 'o2',
    closedAt: T,
    closePrice: Dec.parse('40'),
    openFee: Dec.parse('0.5'),
    closeFee: Dec.parse('0.4'),
    grossPnl: Dec.parse('20'),
    netPnl: Dec.parse('19.1'),
  };

  it('list FIFO tax lots with proceeds and cost basis (a short sells first), holding days and term', () => {
    const rows = lines(taxLotsCsv([lot], 'keel', lookups).content);
    expect(rows[0]).toBe(
      'Venue,Symbol,Asset,Side,Quantity,Opened (UTC),Closed (UTC),Open Price,Close Price,Proceeds,Cost Basis,Fees,Gain or Loss,Currency,Holding Days,Term,Open Trade ID,Close Trade ID',
    );
    expect(rows[1]).toBe(`paper,${BTC_PERP.symbol},BTC,short,2,2024-02-08T09:26:53.000Z,2025-03-14T09:26:53.000Z,50,40,100,80,0.9,19.1,USDT,400,long,t1,t2`);
    expect(lines(taxLotsCsv([lot], 'koinly', lookups).content)[1]).toBe(
      `2025-03-14 09:26 UTC,,,19.1,USDT,,,,,realized gain,"FIFO lot short 2 ${BTC_PERP.symbol} on paper: 50 to 40, fees 0.9",t1>t2`,
    );
  });
});
