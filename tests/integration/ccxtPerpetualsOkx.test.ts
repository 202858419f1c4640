/**
 * An OKX perpetual swap through the engine and the real ccxt on a fake OKX:
 * the position shows the liquidation price /api/v5/account/positions states
 * (liqPx) and the account's margin ratio, and funding
 * (/api/v5/account/bills-archive, type 8) is booked as ledger entries, each
 * once.
 */
import { describe, it } from 'vitest';
import { Dec } from '../../src/shared/decimal';
import { fixed, fmt, mul } from '../support/fakeExchanges/common/decimal';
import { DEFAULT_OKX_KEY, startFakeOkx, type FakeOkx } from '../support/fakeExchanges/okx';
import { fundingIsBookedOnce, PERP_BTC, positionShowsExchangeMargin, type PerpetualScenario } from '../support/ccxtPerpetualScenario';
import { useVenueHarness } from '../support/venueHarness';

const INST = 'BTC-USDT-SWAP';
const SCENARIO: PerpetualScenario<FakeOkx> = {
  spec: {
    id: 'okx-demo',
    exchange: 'okx',
    symbols: [PERP_BTC],
    credentials: { apiKey: DEFAULT_OKX_KEY.apiKey, secret: DEFAULT_OKX_KEY.secret, passphrase: DEFAULT_OKX_KEY.passphrase },
  },
  exchangeSymbol: INST,
  quantity: '0.01',
  mark: (fake) => fmt(fake.state.mark(INST)),
  statedLiquidation: (fake) => fixed(fake.state.liquidationPrice(fake.state.position(INST)!), fake.state.instrument(INST).pricePlaces),
  fakeMarginRatio: (fake) => {
    const state = fake.state;
    const maintenance = state.openPositions().reduce((sum, p) => sum + mul(state.notional(p), state.maintenanceRate), 0n);
    return Dec.parse(fmt(maintenance)).div(Dec.parse(fmt(state.cashBalance() + state.unrealisedTotal())));
  },
};
const harness = useVenueHarness(startFakeOkx, SCENARIO.spec);

describe('an OKX perpetual swap', () => {
  it("shows the exchange's liquidation price and the margin ratio, as the mark moves", () => positionShowsExchangeMargin(harness, SCENARIO), 30_000);
  it('books funding paid and received as ledger entries, once, across polls and a restart', () => fundingIsBookedOnce(harness, SCENARIO), 30_000);
});
