/** Account slice: the latest summary per venue (balance, equity, margin). */
import type { AccountSummary } from '../../shared/domain';
import type { SliceCreator } from './store';

export interface AccountSlice {
  accounts: Record<string, AccountSummary>;
  setAccount(summary: AccountSummary): void;
}

export function applyAccount(
  current: Record<string, AccountSummary>,
  summary: AccountSummary,
  force = false,
): Record<string, AccountSummary> {
  const prev = current[summary.venue];
  if (!force && prev && prev.updatedAt > summary.updatedAt) return current;
  return { ...current, [summary.venue]: summary };
}

export const createAccountSlice: SliceCreator<AccountSlice> = (set) => ({
  accounts: {},
  // A direct answer (summary or reset) is authoritative even if its clock reads the same as an event's.
  setAccount: (summary) => set((s) => ({ accounts: applyAccount(s.accounts, summary, true) })),
});
