/**
 * The Analytics view's filters as the contract wants them: a scope from the
 * select's value, a date range from a preset or two UTC dates, the choices
 * the scope select offers (what the desk has: venues, strategies, symbols
 * traded, regimes, manual), and tags typed as text.
 */
import { REGIME_LABELS, type AnalyticsScope, type RegimeLabelName } from '../../../shared/contract';
import type { RangePreset } from '../../stores/analytics';

const DAY_MS = 86_400_000;

export function scopeKey(scope: AnalyticsScope): string {
  switch (scope.kind) {
    case 'account':
    case 'manual':
      return scope.kind;
    case 'venue':
      return `venue:${scope.venue}`;
    case 'strategy':
      return `strategy:${scope.strategyId}`;
    case 'symbol':
      return `symbol:${scope.venue ?? ''}|${scope.symbol}`;
    case 'regime':
      return `regime:${scope.regime}`;
  }
}

/** The scope a select value names; the account for anything it does not recognise. */
export function scopeFromKey(key: string): AnalyticsScope {
  const at = key.indexOf(':');
  const kind = at < 0 ? key : key.slice(0, at);
  const rest = at < 0 ? '' : key.slice(at + 1);
  switch (kind) {
    case 'manual':
      return { kind: 'manual' };
    case 'venue':
      return rest ? { kind: 'venue', venue: rest } : { kind: 'account' };
    case 'strategy':
      return rest ? { kind: 'strategy', strategyId: rest } : { kind: 'account' };
    case 'symbol': {
      const [venue = '', symbol = ''] = rest.split('|');
      if (!symbol) return { kind: 'account' };
      return venue ? { kind: 'symbol', symbol, venue } : { kind: 'symbol', symbol };
    }
    case 'regime':
      return (REGIME_LABELS as readonly string[]).includes(rest) ? { kind: 'regime', regime: rest as RegimeLabelName } : { kind: 'account' };
    default:
      return { kind: 'account' };
  }
}

export const REGIME_NAMES: Record<RegimeLabelName, string> = {
  trending_up: 'Trending up',
  trending_down: 'Trending down',
  ranging: 'Ranging',
  volatile: 'Volatile',
};

export interface ScopeOption {
  value: string;
  label: string;
}

export interface ScopeGroup {
  label: string;
  options: ScopeOption[];
}

/** The scope select's groups, each sorted; symbols are those of instruments the desk knows. */
export function scopeGroups(input: {
  venues: readonly string[];
  strategies: ReadonlyArray<{ id: string; name: string }>;
  symbols: ReadonlyArray<{ venue: string; symbol: string }>;
}): ScopeGroup[] {
  const byLabel = (a: ScopeOption, b: ScopeOption) => a.label.localeCompare(b.label);
  return [
    { label: 'Account', options: [{ value: 'account', label: 'Whole account' }, { value: 'manual', label: 'Manual trading' }] },
    { label: 'Venue', options: [...new Set(input.venues)].map((v) => ({ value: `venue:${v}`, label: v })).sort(byLabel) },
    { label: 'Strategy', options: input.strategies.map((s) => ({ value: `strategy:${s.id}`, label: s.name })).sort(byLabel) },
    { label: 'Symbol', options: input.symbols.map((s) => ({ value: `symbol:${s.venue}|${s.symbol}`, label: `${s.symbol} · ${s.venue}` })).sort(byLabel) },
    { label: 'Regime at entry', options: REGIME_LABELS.map((r) => ({ value: `regime:${r}`, label: REGIME_NAMES[r] })) },
  ].filter((g) => g.options.length > 0);
}

/** "2025-03-14" as midnight UTC; null for anything else. */
export function utcDateMs(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * The range a preset means at `now`: the last day, 7, 30 or 90 days, the
 * year to date (UTC), everything, or the custom dates (the "to" date
 * included whole). An open end is left out; a custom range that is not
 * complete or runs backwards is reported.
 */
export function rangeOf(preset: RangePreset, customFrom: string, customTo: string, now: number): { from?: number; to?: number } | { error: string } {
  switch (preset) {
    case '1d':
      return { from: now - DAY_MS };
    case '7d':
      return { from: now - 7 * DAY_MS };
    case '30d':
      return { from: now - 30 * DAY_MS };
    case '90d':
      return { from: now - 90 * DAY_MS };
    case 'ytd':
      return { from: Date.UTC(new Date(now).getUTCFullYear(), 0, 1) };
    case 'all':
      return {};
    case 'custom': {
      const from = customFrom ? utcDateMs(customFrom) : undefined;
      const toDay = customTo ? utcDateMs(customTo) : undefined;
      if (from === null || toDay === null) return { error: 'Dates are YYYY-MM-DD.' };
      const to = toDay === undefined ? undefined : toDay + DAY_MS;
      if (from !== undefined && from >= Math.min(to ?? now, now)) return { error: '"From" must be before "to" and before now.' };
      return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
    }
  }
}

/** Tags typed as "breakout, news  plan": split on commas, trimmed, empty ones and repeats (any case) dropped. */
export function parseTags(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(',')) {
    const tag = raw.trim();
    if (tag && !out.some((t) => t.toLowerCase() === tag.toLowerCase())) out.push(tag);
  }
  return out;
}
