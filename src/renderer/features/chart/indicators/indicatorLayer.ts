/**
 * The indicators on one chart: overlays as line series on the candles' price
 * scale (the volume profile as a primitive along the left edge), and each
 * oscillator in a pane of its own under the candles. It keeps the chart's
 * bars so a changed parameter recomputes at once, feeds live bars to each
 * indicator's stream (one step per update, the forming bar replaced), and
 * answers each indicator's values at a bar for the legends.
 */
import {
  HistogramSeries,
  LineSeries,
  LineStyle,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type LogicalRange,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { Bar } from '../../../../shared/domain';
import { CHART_COLORS } from '../chartColors';
import { INDICATORS, type IndicatorConfig, type OutputSpec } from './indicatorCatalog';
import { IndicatorStream, feedBars, isSeriesKind, type IndicatorPoint, type IndicatorValues } from './indicatorMath';
import { volumeProfile } from './volumeProfile';
import { VolumeProfilePrimitive } from './volumeProfilePrimitive';

const toTime = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;
/** The candles' pane is this many times an oscillator pane's height. */
const MAIN_PANE_STRETCH = 3;
/** A live volume profile is redrawn at most this often. */
const PROFILE_REFRESH_MS = 1_000;

interface Instance {
  config: IndicatorConfig;
  key: string;
  stream: IndicatorStream | null;
  series: Map<string, ISeriesApi<'Line'> | ISeriesApi<'Histogram'>>;
  guides: IPriceLine[];
  /** Values by bar time (ms), for the legends. */
  values: Map<number, IndicatorValues>;
  profile: VolumeProfilePrimitive | null;
}

/** The shades of an instance's colour its outputs are drawn in. */
export function shadeOf(color: string, shade: OutputSpec['shade']): string {
  if (shade === 'main') return color;
  const n = Number.parseInt(color.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  if (shade === 'soft') return `rgba(${r}, ${g}, ${b}, 0.55)`;
  // A contrasting partner for a second line (MACD's signal): the colour's complement, lightened.
  return `rgb(${Math.round((255 - r + 255) / 2)}, ${Math.round((255 - g + 255) / 2)}, ${Math.round((255 - b + 255) / 2)})`;
}

const configKey = (c: IndicatorConfig) => `${c.kind}|${JSON.stringify(c.params)}|${c.color}`;

export class IndicatorLayer {
  private instances: Instance[] = [];
  private bars: Bar[] = [];
  private profileTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly chart: IChartApi,
    private readonly candles: ISeriesApi<'Candlestick'>,
  ) {
    this.chart.timeScale().subscribeVisibleLogicalRangeChange(this.onRange);
  }

  /** The indicators to show, in order; unchanged ones keep their series, changed ones are rebuilt. */
  setConfigs(configs: readonly IndicatorConfig[]): void {
    const wanted = new Map(configs.map((c) => [c.id, c]));
    for (const inst of this.instances) {
      const next = wanted.get(inst.config.id);
      if (!next || configKey(next) !== inst.key) this.remove(inst);
    }
    const kept = new Map(this.instances.filter((i) => wanted.get(i.config.id) && configKey(wanted.get(i.config.id)!) === i.key).map((i) => [i.config.id, i]));
    this.instances = configs.map((c) => kept.get(c.id) ?? this.create(c));
    this.arrangePanes();
  }

  setHistory(bars: readonly Bar[]): void {
    this.bars = [...bars];
    for (const inst of this.instances) this.load(inst);
    this.refreshProfiles();
  }

  /** A live bar: the forming one again, or the next. */
  update(bar: Bar): void {
    const last = this.bars[this.bars.length - 1];
    if (last && bar.time < last.time) return;
    if (last && bar.time === last.time) this.bars[this.bars.length - 1] = bar;
    else this.bars.push(bar);
    for (const inst of this.instances) {
      if (!inst.stream) continue;
      const point = inst.stream.update(bar);
      if (point) this.draw(inst, point);
    }
    if (this.instances.some((i) => i.profile) && this.profileTimer === null) {
      this.profileTimer = setTimeout(() => {
        this.profileTimer = null;
        this.refreshProfiles();
      }, PROFILE_REFRESH_MS);
    }
  }

  clear(): void {
    this.setHistory([]);
  }

  /** Each indicator's values at a bar (ms), for the legends. */
  valuesAt(timeMs: number): Map<string, IndicatorValues> {
    return new Map(this.instances.map((i) => [i.config.id, i.values.get(timeMs) ?? {}]));
  }

  /** Where each pane indicator's pane starts, in pixels from the top of the chart. */
  paneTops(): Map<string, number> {
    const tops = new Map<string, number>();
    const panes = this.chart.panes();
    for (const inst of this.instances) {
      const first = inst.series.values().next().value;
      if (!first || INDICATORS[inst.config.kind].placement !== 'pane') continue;
      const index = first.getPane().paneIndex();
      let top = 0;
      for (let i = 0; i < index; i++) top += this.chart.paneSize(i).height + 1;
      if (index < panes.length) tops.set(inst.config.id, top);
    }
    return tops;
  }

  destroy(): void {
    this.chart.timeScale().unsubscribeVisibleLogicalRangeChange(this.onRange);
    if (this.profileTimer !== null) clearTimeout(this.profileTimer);
    for (const inst of this.instances) this.remove(inst);
    this.instances = [];
  }

  private readonly onRange = (_range: LogicalRange | null): void => {
    this.refreshProfiles();
  };

  private create(config: IndicatorConfig): Instance {
    const def = INDICATORS[config.kind];
    const inst: Instance = {
      config,
      key: configKey(config),
      stream: null,
      series: new Map(),
      guides: [],
      values: new Map(),
      profile: null,
    };
    if (!isSeriesKind(config.kind)) {
      inst.profile = new VolumeProfilePrimitive(config.color);
      this.candles.attachPrimitive(inst.profile);
      this.load(inst);
      return inst;
    }
    const pane = def.placement === 'pane' ? this.chart.panes().length : 0;
    for (const output of def.outputs) {
      const color = shadeOf(config.color, output.shade);
      const common = {
        priceLineVisible: false,
        lastValueVisible: def.placement === 'pane',
        crosshairMarkerVisible: false,
        priceFormat: { type: 'price' as const, precision: 2, minMove: 0.01 },
        ...(def.placement === 'overlay' ? { priceScaleId: 'right' } : {}),
        ...(config.kind === 'rsi' ? { autoscaleInfoProvider: () => ({ priceRange: { minValue: 0, maxValue: 100 } }) } : {}),
      };
      // Every output of an oscillator shares the pane its first output opened.
      const paneIndex = def.placement === 'pane' && inst.series.size > 0 ? inst.series.values().next().value!.getPane().paneIndex() : pane;
      const series =
        output.style === 'histogram'
          ? this.chart.addSeries(HistogramSeries, { ...common, color, base: 0 }, paneIndex)
          : this.chart.addSeries(LineSeries, { ...common, color, lineWidth: 1 }, paneIndex);
      inst.series.set(output.key, series);
    }
    const first = inst.series.values().next().value;
    if (first) {
      for (const level of def.guides ?? []) {
        inst.guides.push(first.createPriceLine({ price: level, color: CHART_COLORS.crosshair, lineWidth: 1, lineStyle: LineStyle.Dashed, axisLabelVisible: false, title: '' }));
      }
    }
    this.load(inst);
    return inst;
  }

  private remove(inst: Instance): void {
    for (const series of inst.series.values()) this.chart.removeSeries(series);
    inst.series.clear();
    if (inst.profile) this.candles.detachPrimitive(inst.profile);
    inst.profile = null;
  }

  /** Recomputes an instance over the kept bars and hands its series their data. */
  private load(inst: Instance): void {
    inst.values.clear();
    if (inst.profile) {
      this.refreshProfile(inst);
      return;
    }
    inst.stream = new IndicatorStream(inst.config);
    const points = feedBars(inst.stream, this.bars);
    for (const [key, series] of inst.series) {
      series.setData(points.map((p) => this.datum(inst, key, p)));
    }
    for (const p of points) inst.values.set(p.time, p.values);
  }

  private draw(inst: Instance, point: IndicatorPoint): void {
    inst.values.set(point.time, point.values);
    for (const [key, series] of inst.series) series.update(this.datum(inst, key, point));
  }

  private datum(inst: Instance, key: string, p: IndicatorPoint) {
    const value = p.values[key];
    const time = toTime(p.time);
    if (value === null || value === undefined) return { time };
    if (key === 'histogram') return { time, value, color: value >= 0 ? CHART_COLORS.upVolume : CHART_COLORS.downVolume };
    return { time, value };
  }

  private refreshProfiles(): void {
    for (const inst of this.instances) if (inst.profile) this.refreshProfile(inst);
  }

  /** The profile of the bars on screen. */
  private refreshProfile(inst: Instance): void {
    if (!inst.profile) return;
    const range = this.chart.timeScale().getVisibleLogicalRange();
    const from = range ? Math.max(0, Math.floor(range.from)) : 0;
    const to = range ? Math.min(this.bars.length, Math.ceil(range.to) + 1) : this.bars.length;
    const visible = this.bars.slice(from, to);
    inst.profile.setProfile(volumeProfile(visible, Number(inst.config.params.rows), Number(inst.config.params.valueArea)), inst.config.color);
  }

  private arrangePanes(): void {
    const panes = this.chart.panes();
    if (panes.length === 0) return;
    panes[0]!.setStretchFactor(panes.length > 1 ? MAIN_PANE_STRETCH : 1);
    for (let i = 1; i < panes.length; i++) panes[i]!.setStretchFactor(1);
  }
}
