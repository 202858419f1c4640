/**
 * A Bybit linear perpetual through the engine and the real ccxt on a fake
 * Bybit: the position shows the liquidation price /v5/position/list states
 * (liqPrice) and the account's margin ratio, and funding (/v5/execution/list,
 * execType Funding) is booked as ledger entries, each once.
 */
import { describe, it } from 'vitest';
import { Dec } from '../../src/shared/decimal';
import { abs, fixed, fmt, mul } from '../support/fakeExchanges/common/decimal';
import { DEFAULT_BYBIT_KEY, startFakeBybit, type FakeBybit } from '../support/fakeExchanges/bybit';
import { fundingIsBookedOnce, PERP_BTC, positionShowsExchangeMargin, type PerpetualScenario } from '../support/ccxtPerpetualScenario';
import { useVenueHarness } from '../support/venueHarness';

const SCENARIO: PerpetualScenario<FakeBybit> = {
  spec: { id: 'bybit-demo', exchange: 'bybit', symbols: [PERP_BTC], credentials: { apiKey: DEFAULT_BYBIT_KEY.apiKey, secret: DEFAULT_BYBIT_KEY.secret } },
  exchangeSymbol: 'BTCUSDT',
  quantity: '0.01',
  mark: (fake) => fmt(fake.state.mark('BTCUSDT')),
  statedLiquidation: (fake) => fixed(fake.state.liquidationPrice(fake.state.position('BTCUSDT')!), fake.state.instrument('BTCUSDT').pricePlaces),
  fakeMarginRatio: (fake) => {
    const state = fake.state;
    const maintenance = state.listPositions().reduce((sum, p) => sum + mul(mul(abs(p.qty), state.mark(p.symbol)), state.maintenanceRate), 0n);
    return Dec.parse(fmt(maintenance)).div(Dec.parse(fmt(state.walletBalance() + state.unrealisedTotal())));
  },
};
const harness = useVenueHarness(startFakeBybit, SCENARIO.spec);

describe('a Bybit linear perpetual', () => {
  it("shows the exchange's liquidation price and the margin ratio, as the mark moves", () => positionShowsExchangeMargin(harness, SCENARIO), 30_000);
  it('books funding paid and received as ledger entries, once, across polls and a restart', () => fundingIsBookedOnce(harness, SCENARIO), 30_000);
});
