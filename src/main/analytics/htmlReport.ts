/**
 * The analytics of a scope as one self-contained HTML page: headline
 * figures, the equity curve with its drawdown, daily results, the trade
 * returns' distribution, the weekday and hour tables and the round trips.
 * Charts are inline SVG and styles inline CSS: no script, no request, so it
 * opens anywhere, and prints on A4 landscape.
 */
import type { AnalyticsEquity, AnalyticsScope, AnalyticsSummary, RoundTripView } from '../../shared/contract/analytics';
import { Dec } from '../../shared/decimal';

export interface ReportInput {
  summary: AnalyticsSummary;
  equity: AnalyticsEquity;
  trades: readonly RoundTripView[];
  generatedAt: number;
}

/** Round trips listed at most (the newest). */
const MAX_LISTED = 2_000;
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

export function scopeLabel(scope: AnalyticsScope): string {
  switch (scope.kind) {
    case 'account':
      return 'Whole account';
    case 'venue':
      return `Venue ${scope.venue}`;
    case 'strategy':
      return `Strategy ${scope.strategyId}`;
    case 'symbol':
      return `${scope.symbol}${scope.venue ? ` on ${scope.venue}` : ''}`;
    case 'regime':
      return `Regime ${scope.regime.replace('_', ' ')}`;
    case 'manual':
      return 'Manual trading';
  }
}

const money = (value: string | null): string => (value === null ? '—' : Dec.parse(value).toFixed(2));
const num = (value: number | null, digits = 2): string => (value === null ? '—' : value.toFixed(digits));
const pct = (value: number | null): string => (value === null ? '—' : `${value.toFixed(2)}%`);
const utc = (time: number | null): string => (time === null ? '—' : new Date(time).toISOString().slice(0, 16).replace('T', ' '));
const tone = (value: string | number | null): string => {
  if (value === null) return '';
  const n = typeof value === 'number' ? value : Number(value);
  return n > 0 ? 'up' : n < 0 ? 'down' : '';
};

function duration(ms: number | null): string {
  if (ms === null) return '—';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} d`;
}

/** x and y scales for a chart area. */
function scales(xs: readonly number[], ys: readonly number[], width: number, height: number, pad = 4) {
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  let y0 = Math.min(...ys);
  let y1 = Math.max(...ys);
  if (y0 === y1) {
    y0 -= 1;
    y1 += 1;
  }
  return {
    x: (v: number) => (x1 === x0 ? width / 2 : pad + ((v - x0) / (x1 - x0)) * (width - 2 * pad)),
    y: (v: number) => pad + (1 - (v - y0) / (y1 - y0)) * (height - 2 * pad),
    y0,
    y1,
  };
}

function equitySvg(equity: AnalyticsEquity): string {
  if (equity.points.length < 2) return '<p class="muted">Not enough equity points to draw.</p>';
  const W = 1000;
  const H = 220;
  const DH = 80;
  const times = equity.points.map((p) => p.time);
  const values = equity.points.map((p) => Number(p.equity));
  const dds = equity.points.map((p) => -p.drawdownPct);
  const s = scales(times, values, W, H);
  const d = scales(times, [...dds, 0], W, DH);
  const line = equity.points.map((p, i) => `${s.x(p.time).toFixed(1)},${s.y(values[i]!).toFixed(1)}`).join(' ');
  const area = `${d.x(times[0]!).toFixed(1)},${d.y(0).toFixed(1)} ${equity.points.map((p, i) => `${d.x(p.time).toFixed(1)},${d.y(dds[i]!).toFixed(1)}`).join(' ')} ${d.x(times[times.length - 1]!).toFixed(1)},${d.y(0).toFixed(1)}`;
  return `<svg class="chart" viewBox="0 0 ${W} ${H + DH + 10}" role="img" aria-label="Equity curve with drawdown">
  <text x="${W - 6}" y="14" class="axis" text-anchor="end">${escapeHtml(money(String(s.y1)))}</text><text x="${W - 6}" y="${H - 6}" class="axis" text-anchor="end">${escapeHtml(money(String(s.y0)))}</text>
  <polyline points="${line}" fill="none" stroke="#3d8bfd" stroke-width="1.6"/>
  <g transform="translate(0 ${H + 10})"><line x1="0" x2="${W}" y1="${d.y(0).toFixed(1)}" y2="${d.y(0).toFixed(1)}" stroke="#8b95a7" stroke-width="0.5"/>
  <polygon points="${area}" fill="rgba(246,70,93,0.35)" stroke="#f6465d" stroke-width="0.8"/>
  <text x="${W - 6}" y="${DH - 6}" class="axis" text-anchor="end">${escapeHtml(pct(d.y0))}</text></g>
</svg>`;
}

function barsSvg(values: ReadonlyArray<{ label: string; value: number }>, label: string, height = 140): string {
  if (values.length === 0) return '<p class="muted">Nothing to draw.</p>';
  const W = 1000;
  const max = Math.max(...values.map((v) => Math.abs(v.value)), 1e-12);
  const mid = height / 2;
  const step = W / values.length;
  const bars = values
    .map((v, i) => {
      const h = (Math.abs(v.value) / max) * (mid - 4);
      const y = v.value >= 0 ? mid - h : mid;
      return `<rect x="${(i * step + step * 0.15).toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(step * 0.7, 0.5).toFixed(1)}" height="${Math.max(h, 0.5).toFixed(1)}" fill="${v.value >= 0 ? '#0ecb81' : '#f6465d'}"><title>${escapeHtml(`${v.label}: ${v.value.toFixed(2)}`)}</title></rect>`;
    })
    .join('');
  return `<svg class="chart" viewBox="0 0 ${W} ${height}" role="img" aria-label="${escapeHtml(label)}"><line x1="0" x2="${W}" y1="${mid}" y2="${mid}" stroke="#8b95a7" stroke-width="0.5"/>${bars}</svg>`;
}

function histogramSvg(summary: AnalyticsSummary): string {
  const bins = summary.returnDistribution;
  if (bins.length === 0) return '<p class="muted">No closed round trips.</p>';
  const W = 1000;
  const H = 120;
  const max = Math.max(...bins.map((b) => b.count), 1);
  const step = W / bins.length;
  const bars = bins
    .map((b, i) => {
      const h = (b.count / max) * (H - 20);
      const fill = b.toPct <= 0 ? '#f6465d' : b.fromPct >= 0 ? '#0ecb81' : '#8b95a7';
      return `<rect x="${(i * step + 1).toFixed(1)}" y="${(H - 16 - h).toFixed(1)}" width="${(step - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${fill}"><title>${escapeHtml(`${b.fromPct}% to ${b.toPct}%: ${b.count}`)}</title></rect><text x="${(i * step + step / 2).toFixed(1)}" y="${H - 3}" class="axis" text-anchor="middle">${escapeHtml(`${b.fromPct}`)}</text>`;
    })
    .join('');
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="Distribution of trade returns">${bars}</svg>`;
}

export function renderReport({ summary, equity, trades, generatedAt }: ReportInput): string {
  const f = summary.figures;
  const cur = escapeHtml(summary.currency);
  const headline: Array<[string, string, string]> = [
    ['Net PnL', `${money(f.netPnl)} ${cur}`, tone(f.netPnl)],
    ['Return', pct(f.returnPct), tone(f.returnPct)],
    ['Round trips', String(f.trades), ''],
    ['Win rate', pct(f.winRatePct), ''],
    ['Profit factor', num(f.profitFactor), ''],
    ['Expectancy', `${money(f.expectancy)} ${cur}`, tone(f.expectancy)],
    ['Expectancy (R)', num(f.expectancyR), tone(f.expectancyR)],
    ['Average win', money(f.averageWin), 'up'],
    ['Average loss', money(f.averageLoss), 'down'],
    ['Payoff ratio', num(f.payoffRatio), ''],
    ['Sharpe', num(f.sharpeRatio), ''],
    ['Sortino', num(f.sortinoRatio), ''],
    ['Max drawdown', `${money(f.maxDrawdown)} (${pct(f.maxDrawdownPct)})`, f.maxDrawdown === '0' ? '' : 'down'],
    ['Drawdown duration', duration(f.maxDrawdownDurationMs), ''],
    ['Exposure', pct(f.exposurePct), ''],
    ['Fees paid', money(f.feesPaid), ''],
    ['Funding paid', money(f.fundingPaid), ''],
    ['Unrealized', money(f.unrealizedPnl), tone(f.unrealizedPnl)],
  ];
  const listed = trades.slice(0, MAX_LISTED);
  const bucketRows = (rows: AnalyticsSummary['byHour'], name: (key: number) => string) =>
    rows
      .map(
        (b) =>
          `<tr><th>${escapeHtml(name(b.key))}</th><td>${b.trades}</td><td>${b.trades > 0 ? pct((b.wins / b.trades) * 100) : '—'}</td><td class="${tone(b.netPnl)}">${money(b.netPnl)}</td></tr>`,
      )
      .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Keel performance report — ${escapeHtml(scopeLabel(summary.scope))}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b2230;margin:24px;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:22px 0 8px;border-bottom:1px solid #d9dee7;padding-bottom:3px}
.muted{color:#6b7587}.up{color:#0a8f5a}.down{color:#c8283f}
.figures{display:grid;grid-template-columns:repeat(6,1fr);gap:8px}
.figure{border:1px solid #d9dee7;border-radius:4px;padding:6px 8px}.figure b{display:block;font-size:15px;font-variant-numeric:tabular-nums}
.figure span{color:#6b7587;font-size:11px}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}th,td{padding:3px 6px;border-bottom:1px solid #eceff4;text-align:right}
th:first-child,td:first-child{text-align:left}thead th{background:#f4f6f9;font-weight:600}
.tables{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.chart{width:100%;height:auto;background:#fbfcfd;border:1px solid #eceff4}.axis{font-size:11px;fill:#6b7587}
@media print{body{margin:10mm}@page{size:A4 landscape;margin:10mm}h2{break-after:avoid}.chart,.figures,tr{break-inside:avoid}}
</style></head><body>
<h1>Performance report — ${escapeHtml(scopeLabel(summary.scope))}</h1>
<p class="muted">${escapeHtml(utc(summary.from))} to ${escapeHtml(utc(summary.to))} UTC · figures in ${cur} · generated ${escapeHtml(utc(generatedAt))} UTC by Keel</p>
<section><h2>Headline figures</h2><div class="figures">${headline
    .map(([label, value, t]) => `<div class="figure"><span>${escapeHtml(label)}</span><b class="${t}">${escapeHtml(value)}</b></div>`)
    .join('')}</div>
<p class="muted">Start equity ${money(f.startEquity)} ${cur} · end equity ${money(f.endEquity)} ${cur} · ${f.wins} won, ${f.losses} lost · ${f.openTrades} open</p></section>
<section><h2>Equity and drawdown</h2>${equitySvg(equity)}</section>
<section><h2>Daily results</h2>${barsSvg(
    equity.daily.map((d) => ({ label: d.date, value: Number(d.pnl) })),
    'Daily PnL',
  )}</section>
<section><h2>Distribution of trade returns (%)</h2>${histogramSvg(summary)}</section>
<section class="tables"><div><h2>By weekday (UTC, at entry)</h2><table><thead><tr><th>Day</th><th>Trades</th><th>Win rate</th><th>Net PnL</th></tr></thead><tbody>${bucketRows(
    summary.byDayOfWeek,
    (k) => WEEKDAYS[k] ?? String(k),
  )}</tbody></table></div>
<div><h2>By hour (UTC, at entry)</h2><table><thead><tr><th>Hour</th><th>Trades</th><th>Win rate</th><th>Net PnL</th></tr></thead><tbody>${bucketRows(
    summary.byHour.filter((b) => b.trades > 0),
    (k) => `${String(k).padStart(2, '0')}:00`,
  )}</tbody></table></div></section>
<section><h2>Round trips (${trades.length}${trades.length > listed.length ? `, newest ${listed.length} listed` : ''})</h2>
<table><thead><tr><th>Opened (UTC)</th><th>Symbol</th><th>Venue</th><th>Side</th><th>Quantity</th><th>Entry</th><th>Exit</th><th>Net PnL</th><th>Return</th><th>R</th><th>Who</th><th>Regime</th><th>Tags</th><th>Note</th></tr></thead><tbody>
${listed
  .map(
    (t) =>
      `<tr><td>${escapeHtml(utc(t.openedAt))}</td><td>${escapeHtml(t.symbol)}</td><td>${escapeHtml(t.venue)}</td><td>${t.side}</td><td>${escapeHtml(t.quantity)}</td><td>${escapeHtml(t.entryPrice)}</td><td>${escapeHtml(t.exitPrice ?? '—')}</td><td class="${tone(t.netPnl)}">${money(t.netPnl)}</td><td>${pct(t.returnPct)}</td><td>${num(t.rMultiple)}</td><td>${escapeHtml(t.sourceId ? `${t.source} ${t.sourceId}` : t.source)}</td><td>${escapeHtml(t.regime?.replace('_', ' ') ?? '—')}</td><td>${escapeHtml(t.tags.join(', '))}</td><td>${escapeHtml(t.note)}</td></tr>`,
  )
  .join('\n')}
</tbody></table></section>
</body></html>
`;
}
