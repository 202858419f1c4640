/**
 * What every chart of a backtest result shares (price, equity): the trading
 * chart's colours and type, local-time labels over UTC-second data, and a
 * time scale that shows the whole run, however many bars, and keeps showing
 * it whole when the pane is resized or first shown, until the trader zooms
 * or scrolls.
 */
import { ColorType, CrosshairMode, TickMarkType, createChart, type IChartApi, type Time } from 'lightweight-charts';
import { CHART_COLORS } from '../chart/chartController';

const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function localDate(time: Time): Date {
  return new Date((time as number) * 1000);
}

export function createBacktestChart(container: HTMLElement, crosshair: CrosshairMode = CrosshairMode.Magnet): IChartApi {
  return createChart(container, {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: CHART_COLORS.background },
      textColor: CHART_COLORS.text,
      fontSize: 11,
      fontFamily: 'ui-monospace, "SF Mono", "JetBrains Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace',
      panes: { separatorColor: CHART_COLORS.border, separatorHoverColor: 'rgba(61, 139, 253, 0.2)', enableResize: true },
    },
    grid: { vertLines: { color: CHART_COLORS.grid }, horzLines: { color: CHART_COLORS.grid } },
    crosshair: {
      mode: crosshair,
      vertLine: { color: CHART_COLORS.crosshair, labelBackgroundColor: '#2a3140' },
      horzLine: { color: CHART_COLORS.crosshair, labelBackgroundColor: '#2a3140' },
    },
    rightPriceScale: { borderColor: CHART_COLORS.border },
    timeScale: {
      borderColor: CHART_COLORS.border,
      timeVisible: true,
      secondsVisible: false,
      // A run is read whole first: thousands of bars must fit the pane before the trader zooms in.
      minBarSpacing: 0.05,
      tickMarkFormatter: (time: Time, type: TickMarkType) => {
        const d = localDate(time);
        switch (type) {
          case TickMarkType.Year:
            return String(d.getFullYear());
          case TickMarkType.Month:
            return `${MONTHS[d.getMonth()] ?? ''} ${d.getFullYear()}`;
          case TickMarkType.DayOfMonth:
            return `${d.getDate()} ${MONTHS[d.getMonth()] ?? ''}`;
          default:
            return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
        }
      },
    },
    localization: {
      timeFormatter: (time: Time) => {
        const d = localDate(time);
        return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
      },
    },
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

  constructor(
    private readonly chart: IChartApi,
    private readonly container: HTMLElement,
  ) {
    chart.timeScale().subscribeSizeChange(this.onResize);
    container.addEventListener('wheel', this.release, { passive: true });
    container.addEventListener('pointerdown', this.release);
    container.addEventListener('dblclick', this.refit);
  }

  fit(): void {
    this.auto = true;
    this.chart.timeScale().fitContent();
  }

  destroy(): void {
    this.chart.timeScale().unsubscribeSizeChange(this.onResize);
    this.container.removeEventListener('wheel', this.release);
    this.container.removeEventListener('pointerdown', this.release);
    this.container.removeEventListener('dblclick', this.refit);
  }

  private readonly onResize = (width: number): void => {
    if (this.auto && width > 0) this.chart.timeScale().fitContent();
  };

  private readonly refit = (): void => {
    this.fit();
  };

  private readonly release = (): void => {
    this.auto = false;
  };
}
