/**
 * The daily report email: the day's figures as analytics computes them
 * (account, each strategy and manual trading), the round trips closed that
 * day, how much of each risk limit is in use, and each venue's last
 * reconciliation; as an HTML body with a text version, and the day's round
 * trips attached as CSV (the analytics export's own layout). Nothing here
 * recomputes a figure: it lays out what AnalyticsService answers.
 */
import type { AnalyticsScope, AnalyticsSummary, ExportFile, RoundTripView, TradeFilters } from '../../shared/contract/analytics';
import type { ReconciliationReport } from '../../shared/contract/reconciliation';
import type { VenueStatus } from '../../shared/domain';
import { Dec } from '../../shared/decimal';
import { errorText } from '../../shared/errors';
import type { RiskStatus } from '../../shared/risk';
import { escapeHtml, scopeLabel } from '../analytics/htmlReport';
import type { OutgoingEmail } from './emailQueue';
import { localTimeAt } from '../core/zonedTime';

/** What the report reads; each part is the engine's or analytics' own answer. */
export interface DailyReportSources {
  analytics: {
    summary(params: { scope: AnalyticsScope; from?: number; to?: number }): Promise<AnalyticsSummary>;
    trades(filters: TradeFilters): Promise<{ trades: RoundTripView[]; nextCursor: string | null }>;
    exportCsv(params: { kind: 'trades'; from?: number; to?: number }): Promise<ExportFile>;
  };
  /** Strategy instance names by id (a strategy deleted since reads as its id). */
  strategyNames(): Map<string, string>;
  riskStatus(): RiskStatus;
  venues(): VenueStatus[];
  latestReconciliation(venue: string): ReconciliationReport | null;
}

export interface DailyReportRange {
  /** Exclusive. */
  from: number;
  /** Inclusive: the moment the report was due. */
  to: number;
  timeZone: string;
}

/** Round trips listed in the body at most; the CSV carries them all. */
const MAX_LISTED_TRADES = 200;

interface ScopeRow {
  label: string;
  summary: AnalyticsSummary | null;
  error: string | null;
}

const money = (v: string | null) => (v === null ? '—' : Dec.parse(v).toFixed(2));
const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`);
const tone = (v: string) => (Dec.parse(v).isNegative() ? 'color:#b42318' : Dec.parse(v).isPositive() ? 'color:#067647' : '');

function localStamp(at: number, timeZone: string): string {
  const t = localTimeAt(at, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${t.year}-${two(t.month)}-${two(t.day)} ${two(t.hour)}:${two(t.minute)}`;
}

async function scopeRow(sources: DailyReportSources, label: string, scope: AnalyticsScope, range: DailyReportRange): Promise<ScopeRow> {
  try {
    return { label, summary: await sources.analytics.summary({ scope, from: range.from, to: range.to }), error: null };
  } catch (error) {
    return { label, summary: null, error: errorText(error) };
  }
}

export interface DailyReportContent {
  email: OutgoingEmail;
  /** What the body says, for the log and for tests that read figures rather than markup. */
  account: AnalyticsSummary | null;
  strategies: ScopeRow[];
  trades: RoundTripView[];
}

export async function buildDailyReport(sources: DailyReportSources, range: DailyReportRange): Promise<DailyReportContent> {
  const account = await scopeRow(sources, 'Whole account', { kind: 'account' }, range);
  const { trades } = await sources.analytics.trades({ from: range.from, to: range.to, status: 'closed', limit: 10_000 });
  const names = sources.strategyNames();
  const strategyIds = [...new Set(trades.filter((t) => t.source === 'strategy' && t.sourceId !== null).map((t) => t.sourceId!))].sort();
  const perStrategy: ScopeRow[] = [];
  for (const id of strategyIds) perStrategy.push(await scopeRow(sources, names.get(id) ?? id, { kind: 'strategy', strategyId: id }, range));
  if (trades.some((t) => t.source === 'manual')) perStrategy.push(await scopeRow(sources, scopeLabel({ kind: 'manual' }), { kind: 'manual' }, range));
  const csv = await sources.analytics.exportCsv({ kind: 'trades', from: range.from, to: range.to });
  const risk = sources.riskStatus();
  const venues = sources.venues();
  const day = localStamp(range.to, range.timeZone).slice(0, 10);
  const title = `Keel daily report ${day}`;
  const period = `${localStamp(range.from, range.timeZone)} – ${localStamp(range.to, range.timeZone)} (${range.timeZone})`;

  const html: string[] = [];
  const text: string[] = [`${title}`, period, ''];
  html.push(`<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:14px;color:#1d2433">`);
  html.push(`<h1 style="font-size:20px">${escapeHtml(title)}</h1><p>${escapeHtml(period)}</p>`);

  // The account's figures.
  html.push('<h2 style="font-size:16px">Account</h2>');
  const a = account.summary;
  if (a) {
    const f = a.figures;
    const rows: Array<[string, string]> = [
      ['Net PnL', `${money(f.netPnl)} ${a.currency}`],
      ['Round trips closed', String(f.trades)],
      ['Wins / losses', `${f.wins} / ${f.losses}`],
      ['Win rate', pct(f.winRatePct)],
      ['Fees paid', `${money(f.feesPaid)} ${a.currency}`],
      ['Funding paid', `${money(f.fundingPaid)} ${a.currency}`],
      ['Unrealized PnL', `${money(f.unrealizedPnl)} ${a.currency}`],
      ['Equity', `${money(f.startEquity)} → ${money(f.endEquity)} ${a.currency}`],
      ['Max drawdown', `${money(f.maxDrawdown)} ${a.currency} (${pct(f.maxDrawdownPct)})`],
    ];
    html.push(`<table cellpadding="4" style="border-collapse:collapse">${rows.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td align="right">${escapeHtml(v)}</td></tr>`).join('')}</table>`);
    text.push('Account', ...rows.map(([k, v]) => `  ${k}: ${v}`), '');
  } else {
    html.push(`<p>The account's figures could not be computed: ${escapeHtml(account.error ?? '')}</p>`);
    text.push(`Account: could not be computed: ${account.error}`, '');
  }

  // Per strategy (and manual trading).
  html.push('<h2 style="font-size:16px">Per strategy</h2>');
  text.push('Per strategy');
  if (perStrategy.length === 0) {
    html.push('<p>No round trip closed.</p>');
    text.push('  No round trip closed.');
  } else {
    html.push('<table cellpadding="4" style="border-collapse:collapse"><tr><th align="left">Who</th><th>Trades</th><th>Win rate</th><th>Net PnL</th></tr>');
    for (const row of perStrategy) {
      const f = row.summary?.figures;
      html.push(
        f
          ? `<tr><td>${escapeHtml(row.label)}</td><td align="right">${f.trades}</td><td align="right">${pct(f.winRatePct)}</td><td align="right" style="${tone(f.netPnl)}">${money(f.netPnl)}</td></tr>`
          : `<tr><td>${escapeHtml(row.label)}</td><td colspan="3">${escapeHtml(row.error ?? '')}</td></tr>`,
      );
      text.push(f ? `  ${row.label}: ${f.trades} trades, win rate ${pct(f.winRatePct)}, net ${money(f.netPnl)}` : `  ${row.label}: ${row.error}`);
    }
    html.push('</table>');
  }
  text.push('');

  // The round trips.
  html.push(`<h2 style="font-size:16px">Trades (${trades.length})</h2>`);
  text.push(`Trades (${trades.length})`);
  if (trades.length > 0) {
    html.push('<table cellpadding="4" style="border-collapse:collapse"><tr><th align="left">Closed</th><th align="left">Symbol</th><th>Side</th><th>Quantity</th><th>Entry</th><th>Exit</th><th>Net PnL</th><th align="left">By</th></tr>');
    for (const t of trades.slice(0, MAX_LISTED_TRADES)) {
      const by = t.source === 'strategy' ? (names.get(t.sourceId ?? '') ?? t.sourceId ?? 'strategy') : t.source;
      html.push(
        `<tr><td>${escapeHtml(localStamp(t.closedAt ?? t.openedAt, range.timeZone))}</td><td>${escapeHtml(t.symbol)}</td><td>${t.side}</td><td align="right">${escapeHtml(t.quantity)}</td><td align="right">${escapeHtml(t.entryPrice)}</td><td align="right">${escapeHtml(t.exitPrice ?? '—')}</td><td align="right" style="${tone(t.netPnl)}">${money(t.netPnl)}</td><td>${escapeHtml(by ?? '')}</td></tr>`,
      );
      text.push(`  ${t.symbol} ${t.side} ${t.quantity} ${t.entryPrice} → ${t.exitPrice ?? '—'}: ${money(t.netPnl)} (${by})`);
    }
    html.push('</table>');
    if (trades.length > MAX_LISTED_TRADES) html.push(`<p>The newest ${MAX_LISTED_TRADES} are listed; the attached CSV has all ${trades.length}.</p>`);
  }
  text.push('');

  // Risk.
  html.push('<h2 style="font-size:16px">Risk</h2>');
  html.push(`<p>Trading state: <b>${escapeHtml(risk.state)}</b>${risk.reason ? ` — ${escapeHtml(risk.reason)}` : ''}</p>`);
  text.push('Risk', `  Trading state: ${risk.state}${risk.reason ? ` (${risk.reason})` : ''}`);
  for (const usage of risk.usage) {
    const entries = [...usage.entries].sort((x, y) => y.ratio - x.ratio);
    html.push(`<p><b>${escapeHtml(usage.venue)}</b>: equity ${money(usage.equity)} (day start ${money(usage.dayStartEquity)})</p>`);
    text.push(`  ${usage.venue}: equity ${money(usage.equity)} (day start ${money(usage.dayStartEquity)})`);
    if (entries.length > 0) {
      html.push('<table cellpadding="4" style="border-collapse:collapse"><tr><th align="left">Limit</th><th>Used</th><th>Of</th><th>Usage</th></tr>');
      for (const e of entries) {
        const label = `${e.label}${e.symbol ? ` (${e.symbol})` : ''}`;
        html.push(`<tr><td>${escapeHtml(label)}</td><td align="right">${escapeHtml(e.used)}</td><td align="right">${escapeHtml(e.max)} ${escapeHtml(e.unit)}</td><td align="right"${e.ratio >= 1 ? ' style="color:#b42318"' : ''}>${pct(e.ratio * 100)}</td></tr>`);
        text.push(`    ${label}: ${e.used} of ${e.max} ${e.unit} (${pct(e.ratio * 100)})`);
      }
      html.push('</table>');
    }
  }
  text.push('');

  // Reconciliation.
  html.push('<h2 style="font-size:16px">Reconciliation</h2><ul>');
  text.push('Reconciliation');
  for (const venue of venues) {
    const report = sources.latestReconciliation(venue.venue);
    const open = report ? report.items.filter((i) => i.kind !== 'matched' && i.resolution === null).length : 0;
    const line = report
      ? `${venue.venue} (${venue.state}): last reconciled ${localStamp(report.finishedAt, range.timeZone)}, ${report.ok ? 'in agreement' : `blocked${report.reason ? `: ${report.reason}` : ''}`}; ${open} unresolved difference${open === 1 ? '' : 's'}`
      : `${venue.venue} (${venue.state}): never reconciled`;
    html.push(`<li>${escapeHtml(line)}</li>`);
    text.push(`  ${line}`);
  }
  html.push('</ul>');
  html.push(`<p style="color:#5b6475">The day's round trips are attached as ${escapeHtml(csv.filename)} (${csv.rows} rows).</p></body></html>`);
  text.push('', `Attached: ${csv.filename} (${csv.rows} rows)`);

  return {
    email: {
      subject: `[Keel] Daily report ${day}: ${a ? `${money(a.figures.netPnl)} ${a.currency}, ${a.figures.trades} trades` : 'figures unavailable'}`,
      text: text.join('\n'),
      html: html.join('\n'),
      attachments: [{ filename: csv.filename, contentType: 'text/csv', content: csv.content }],
    },
    account: a,
    strategies: perStrategy,
    trades,
  };
}
