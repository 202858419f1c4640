/**
 * How every chart in Keel looks (the trading chart, a backtest's price and
 * equity charts): colours, font, grid, crosshair, borders, and local-time
 * labels over the UTC-second times lightweight-charts is given.
 */
import { ColorType, CrosshairMode, TickMarkType, type ChartOptions, type DeepPartial, type Time } from 'lightweight-charts';
import { CHART_COLORS } from './chartColors';


const FONT = 'ui-monospace, "SF Mono", "JetBrains Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');
const localDate = (time: Time): Date => new Date((time as number) * 1000);

export interface ChartLook {
  crosshair: CrosshairMode;
  /** Month tick marks name the year too (a backtest spans years; the trading chart rarely does). */
  monthWithYear?: boolean;
}

/** The shared options; a chart adds its own (scale margins, bar spacing, panes) on top. */
export function chartOptions(look: ChartLook): DeepPartial<ChartOptions> {
  return {
    autoSize: true,
    layout: { background: { type: ColorType.Solid, color: CHART_COLORS.background }, textColor: CHART_COLORS.text, fontSize: 11, fontFamily: FONT },
    grid: { vertLines: { color: CHART_COLORS.grid }, horzLines: { color: CHART_COLORS.grid } },
    crosshair: {
      mode: look.crosshair,
      vertLine: { color: CHART_COLORS.crosshair, labelBackgroundColor: CHART_COLORS.crosshairLabel },
      horzLine: { color: CHART_COLORS.crosshair, labelBackgroundColor: CHART_COLORS.crosshairLabel },
    },
    rightPriceScale: { borderColor: CHART_COLORS.border },
    timeScale: {
      borderColor: CHART_COLORS.border,
      timeVisible: true,
      secondsVisible: false,
      tickMarkFormatter: (time: Time, type: TickMarkType) => {
        const d = localDate(time);
        switch (type) {
          case TickMarkType.Year:
            return String(d.getFullYear());
          case TickMarkType.Month:
            return look.monthWithYear ? `${MONTHS[d.getMonth()] ?? ''} ${d.getFullYear()}` : (MONTHS[d.getMonth()] ?? '');
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
  };
}
