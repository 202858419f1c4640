/**
 * Positions slice: open positions across venues. `positions.updated` carries
 * a venue's full list, so it replaces that venue's entries wholesale.
 */
import { Dec } from '../../shared/decimal';
import type { Position, Ticker } from '../../shared/domain';
import type { SliceCreator } from './store';

export interface PositionsSlice {
  positions: Position[];
  setPositions(list: Position[]): void;
  setVenuePositions(venue: string, list: Position[]): void;
}

function isOpen(p: Position): boolean {
  try {
    return !Dec.parse(p.quantity).isZero();
  } catch {
    return true;
  }
}

export function replaceVenuePositions(current: Position[], venue: string, list: readonly Position[]): Position[] {
  return [...current.filter((p) => p.venue !== venue), ...list.filter(isOpen)].sort((a, b) =>
    a.venue === b.venue ? a.symbol.localeCompare(b.symbol) : a.venue.localeCompare(b.venue),
  );
}

/**
 * The position re-marked with a ticker that is newer than the engine's last
 * report, so unrealized PnL (and ROE) move with the market between position
 * events. Same linear formula the ledger uses: (mark - entry) × quantity ×
 * side. The margin ratio waits for the engine, which knows the whole account.
 */
export function markPosition(p: Position, ticker: Ticker | undefined): Position {
  if (!ticker || ticker.timestamp <= p.updatedAt || ticker.mark === p.markPrice) return p;
  try {
    const mark = Dec.parse(ticker.mark);
    const qty = Dec.parse(p.quantity);
    const diff = mark.sub(Dec.parse(p.entryPrice));
    const pnl = p.side === 'long' ? diff.mul(qty) : diff.neg().mul(qty);
    return { ...p, markPrice: ticker.mark, unrealizedPnl: pnl.toString(), notional: mark.mul(qty).toString(), roePercent: remarkedRoe(p, pnl) };
  } catch {
    return p;
  }
}

const HUNDRED = Dec.parse('100');

/** ROE at a newer mark: unrealized PnL over the margin the position was opened with (entry × quantity / leverage), as the engine computes it. */
export function remarkedRoe(p: Pick<Position, 'entryPrice' | 'quantity' | 'leverage'>, unrealizedPnl: Dec): string {
  const entryMargin = Dec.parse(p.entryPrice).mul(Dec.parse(p.quantity)).div(Dec.fromBigInt(BigInt(p.leverage)));
  return entryMargin.isPositive() ? unrealizedPnl.mul(HUNDRED).div(entryMargin).roundTo(4).toString() : '0';
}

export const createPositionsSlice: SliceCreator<PositionsSlice> = (set) => ({
  positions: [],
  setPositions: (list) => set({ positions: list.filter(isOpen) }),
  setVenuePositions: (venue, list) => set((s) => ({ positions: replaceVenuePositions(s.positions, venue, list) })),
});
