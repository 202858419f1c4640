/**
 * A Binance USD-M perpetual through the engine and the real ccxt on a fake
 * Binance: the position shows the liquidation price /fapi/v3/positionRisk
 * states and the account's margin ratio, and funding (/fapi/v1/income,
 * FUNDING_FEE) is booked as ledger entries, each once.
 */
import { describe, it } from 'vitest';
import { Dec } from '../../src/shared/decimal';
import { fixed, fmt } from '../support/fakeExchanges/common/decimal';
import { DEFAULT_API_KEY, startFakeBinanceUsdm, type FakeBinanceUsdm } from '../support/fakeExchanges/binanceUsdm';
import { fundingIsBookedOnce, PERP_BTC, positionShowsExchangeMargin, type PerpetualScenario } from '../support/ccxtPerpetualScenario';
import { useVenueHarness } from '../support/venueHarness';

const SCENARIO: PerpetualScenario<FakeBinanceUsdm> = {
  spec: { id: 'binanceusdm-demo', exchange: 'binanceusdm', symbols: [PERP_BTC], credentials: { apiKey: DEFAULT_API_KEY.apiKey, secret: DEFAULT_API_KEY.secret } },
  exchangeSymbol: 'BTCUSDT',
  quantity: '0.01',
  mark: (fake) => fmt(fake.state.mark('BTCUSDT')),
  statedLiquidation: (fake) => fixed(fake.state.liquidationPriceOf('BTCUSDT'), 8),
  fakeMarginRatio: (fake) => {
    const figures = fake.state.figures();
    return Dec.parse(fmt(figures.maintMargin)).div(Dec.parse(fmt(figures.marginBalance)));
  },
};
const harness = useVenueHarness(startFakeBinanceUsdm, SCENARIO.spec);

describe('a Binance USD-M perpetual', () => {
  it("shows the exchange's liquidation price and the margin ratio, as the mark moves", () => positionShowsExchangeMargin(harness, SCENARIO), 30_000);
  it('books funding paid and received as ledger entries, once, across polls and a restart', () => fundingIsBookedOnce(harness, SCENARIO), 30_000);
});
