/** A small line chart of one series over the last hour, with its threshold drawn as a dashed line. */
import type { MetricSeries } from '../../../shared/contract/monitor';
import { fmtInUnit } from './monitorFormat';
import { sparkline } from './sparkline';

const W = 240;
const H = 36;

export function Sparkline({ series, threshold, breached, label }: { series: MetricSeries | undefined; threshold?: number | null; breached?: boolean; label?: string }) {
  const values = series?.values ?? [];
  const g = sparkline(values, W, H, threshold);
  const title = series ? `${label ?? series.label}: last hour, up to ${fmtInUnit(g.max, series.unit)}` : 'No history yet';
  return (
    <svg className={`mon-spark${breached ? ' mon-spark-breach' : ''}`} viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={title}>
      <title>{title}</title>
      {g.thresholdY !== null && <line className="mon-spark-limit" x1={0} x2={W} y1={g.thresholdY} y2={g.thresholdY} vectorEffect="non-scaling-stroke" />}
      {g.path && <path className="mon-spark-line" d={g.path} vectorEffect="non-scaling-stroke" />}
    </svg>
  );
}

/** A series' name, its value in the latest sample and its sparkline. */
export function SeriesChart({ series, threshold, breached, label }: { series: MetricSeries | undefined; threshold?: number | null; breached?: boolean; label: string }) {
  // The latest sample's value, as the figures above show it ("—" when that sample did not measure it).
  const last = series?.values.at(-1) ?? null;
  return (
    <div className="mon-chart" data-breach={breached ? 'true' : undefined}>
      <div className="mon-chart-head">
        <span>{label}</span>
        <span className="num">{series ? fmtInUnit(last, series.unit) : '—'}</span>
      </div>
      <Sparkline series={series} threshold={threshold ?? null} breached={breached ?? false} label={label} />
    </div>
  );
}
