/**
 * Draws a volume profile on the candles' pane, along its left edge: one bar
 * per price row, up volume and down volume in two tones, the value area
 * brighter than the rest and the point of control as a line across.
 */
import type { IPrimitivePaneRenderer, IPrimitivePaneView, ISeriesApi, ISeriesPrimitive, SeriesAttachedParameter, SeriesType, Time } from 'lightweight-charts';
import type { VolumeProfile } from './volumeProfile';

type Target = Parameters<IPrimitivePaneRenderer['draw']>[0];

/** Widest a row may be, as a share of the pane's width. */
const MAX_WIDTH_SHARE = 0.22;

function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

export class VolumeProfilePrimitive implements ISeriesPrimitive<Time> {
  private series: ISeriesApi<SeriesType, Time> | null = null;
  private requestUpdate: (() => void) | null = null;
  private profile: VolumeProfile | null = null;
  private readonly views: IPrimitivePaneView[];

  constructor(private color: string) {
    const renderer: IPrimitivePaneRenderer = { draw: () => undefined, drawBackground: (target) => this.draw(target) };
    this.views = [{ zOrder: () => 'bottom', renderer: () => renderer }];
  }

  attached(param: SeriesAttachedParameter<Time>): void {
    this.series = param.series;
    this.requestUpdate = param.requestUpdate;
  }

  detached(): void {
    this.series = null;
    this.requestUpdate = null;
  }

  setProfile(profile: VolumeProfile | null, color: string): void {
    this.profile = profile;
    this.color = color;
    this.requestUpdate?.();
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }

  private draw(target: Target): void {
    const profile = this.profile;
    const series = this.series;
    if (!profile || !series) return;
    target.useMediaCoordinateSpace(({ context: ctx, mediaSize }) => {
      const maxVolume = Math.max(...profile.rows.map((r) => r.volume));
      if (!(maxVolume > 0)) return;
      const maxWidth = mediaSize.width * MAX_WIDTH_SHARE;
      profile.rows.forEach((row, i) => {
        const top = series.priceToCoordinate(row.high);
        const bottom = series.priceToCoordinate(row.low);
        if (top === null || bottom === null) return;
        const y = Math.min(top, bottom);
        const h = Math.max(1, Math.abs(bottom - top) - 1);
        const inValueArea = i >= profile.valueArea.from && i <= profile.valueArea.to;
        const width = (row.volume / maxVolume) * maxWidth;
        const upWidth = row.volume > 0 ? (row.upVolume / row.volume) * width : 0;
        ctx.fillStyle = withAlpha(this.color, inValueArea ? 0.45 : 0.2);
        ctx.fillRect(0, y, upWidth, h);
        ctx.fillStyle = withAlpha(this.color, inValueArea ? 0.25 : 0.1);
        ctx.fillRect(upWidth, y, width - upWidth, h);
      });
      const poc = profile.rows[profile.pocIndex]!;
      const pocY = series.priceToCoordinate((poc.low + poc.high) / 2);
      if (pocY !== null) {
        ctx.strokeStyle = withAlpha(this.color, 0.9);
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.moveTo(0, Math.round(pocY) + 0.5);
        ctx.lineTo(maxWidth, Math.round(pocY) + 0.5);
        ctx.stroke();
      }
    });
  }
}
