/** What the order gate judges an order in the selected instrument against, read from the store: the ticket's and the chart's are the same. */
import { selectAccount, selectActiveInstrument, selectActiveTicker } from '../../stores/selectors';
import type { KeelState } from '../../stores/store';
import type { GateContext } from './orderGate';

export function activeGateContext(s: KeelState): GateContext {
  const inst = selectActiveInstrument(s);
  const account = selectAccount(s);
  const leverage = (s.symbol ? account?.leverage?.[s.symbol] : undefined) ?? inst?.defaultLeverage ?? 1;
  return {
    inst,
    ticker: selectActiveTicker(s),
    figures: { leverage, available: account?.available ?? null },
    halted: s.riskState?.state === 'HALTED',
    orders: s.orders,
    prefs: s.deskPrefs,
  };
}
