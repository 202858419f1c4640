/**
 * What every chart of a backtest result shares (price, equity): the trading
 * chart's colours and type, local-time labels over UTC-second data, and a
 * time scale that shows the whole run, however many bars, and keeps showing
 * it whole when the pane is resized or first shown, until the trader zooms
 * or scrolls.
 */
import { CrosshairMode, createChart, type IChartApi } from 'lightweight-charts';
import { CHART_COLORS } from '../chart/chartColors';
import { chartOptions } from '../chart/chartTheme';

export function createBacktestChart(container: HTMLElement, crosshair: CrosshairMode = CrosshairMode.Magnet): IChartApi {
  const look = chartOptions({ crosshair, monthWithYear: true });
  return createChart(container, {
    ...look,
    layout: { ...look.layout, panes: { separatorColor: CHART_COLORS.border, separatorHoverColor: 'rgba(61, 139, 253, 0.2)', enableResize: true } },
    // A run is read whole first: thousands of bars must fit the pane before the trader zooms in.
    timeScale: { ...look.timeScale, minBarSpacing: 0.05 },
  });
}

/**
 * Keeps a chart's whole run in view: `fit()` after new data, and again at
 * every resize (a window made larger, a chart drawn while hidden and then
 * shown) until the trader wheels or drags the chart to look closer; a
 * double click shows the whole run again.
 */
export class WholeRunFit {
  private auto = true;

  /**
   * `padding`: room kept left of the first point and right of the last, in
   * pixels, so a chart with few, wide points does not cut its first or last
   * date label at the edge.
   */
  constructor(
    private readonly chart: IChartApi,
    private readonly container: HTMLElement,
    private readonly padding: { leftPx?: number; rightPx?: number } = {},
  ) {
    chart.timeScale().subscribeSizeChange(this.onResize);
    container.addEventListener('wheel', this.release, { passive: true });
    container.addEventListener('pointerdown', this.release);
    container.addEventListener('dblclick', this.refit);
  }

  fit(): void {
    this.auto = true;
    this.fitNow();
  }

  private fitNow(): void {
    const scale = this.chart.timeScale();
    scale.fitContent();
    const left = Math.max(0, this.padding.leftPx ?? 0);
    const right = Math.max(0, this.padding.rightPx ?? 0);
    const range = scale.getVisibleLogicalRange();
    const width = scale.width();
    if (left + right === 0 || range === null || width <= left + right) return;
    // Widen the range on each side so the padding holds at the new, smaller spacing.
    const pointsPerPx = (range.to - range.from) / (width - left - right);
    scale.setVisibleLogicalRange({ from: range.from - left * pointsPerPx, to: range.to + right * pointsPerPx });
  }

  destroy(): void {
    this.chart.timeScale().unsubscribeSizeChange(this.onResize);
    this.container.removeEventListener('wheel', this.release);
    this.container.removeEventListener('pointerdown', this.release);
    this.container.removeEventListener('dblclick', this.refit);
  }

  private readonly onResize = (width: number): void => {
    if (this.auto && width > 0) this.fitNow();
  };

  private readonly refit = (): void => {
    this.fit();
  };

  private readonly release = (): void => {
    this.auto = false;
  };
}
