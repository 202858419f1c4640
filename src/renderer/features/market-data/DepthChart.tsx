/**
 * The depth chart: the book's cumulative size by price, bids to the left of
 * the mid in green and asks to the right in red, drawn on a canvas sized to
 * its box; pointing at it reads the size to walk to that price.
 */
import { useEffect, useRef, useState } from 'react';
import { fmtPrice, fmtQty } from '../../lib/format';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { selectActiveInstrument } from '../../stores/selectors';
import { depthAt, depthCurve, type DepthCurve } from './depthModel';
import { usePoll } from './usePoll';

const POLL_MS = 1_000;
const LEVELS = 100;
const UP = '#0ecb81';
const DOWN = '#f6465d';
const GRID = '#1e2530';

function draw(canvas: HTMLCanvasElement, curve: DepthCurve | null): void {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (width === 0 || height === 0) return;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  if (!curve) return;
  const top = 8;
  const bottom = height - 4;
  const x = (price: number) => ((price - curve.low) / (curve.high - curve.low || 1)) * width;
  const y = (size: number) => bottom - (size / (curve.maxCumulative || 1)) * (bottom - top);
  ctx.strokeStyle = GRID;
  ctx.beginPath();
  ctx.moveTo(x(curve.mid) + 0.5, top);
  ctx.lineTo(x(curve.mid) + 0.5, bottom);
  ctx.stroke();
  const side = (points: DepthCurve['bids'], color: string, fill: string, edge: number) => {
    ctx.beginPath();
    ctx.moveTo(x(points[0]!.price), bottom);
    let lastY = bottom;
    for (const p of points) {
      ctx.lineTo(x(p.price), lastY);
      lastY = y(p.cumulative);
      ctx.lineTo(x(p.price), lastY);
    }
    ctx.lineTo(edge, lastY);
    ctx.lineTo(edge, bottom);
    ctx.closePath();
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.strokeStyle = color;
    ctx.stroke();
  };
  side(curve.bids, UP, 'rgba(14, 203, 129, 0.18)', 0);
  side(curve.asks, DOWN, 'rgba(246, 70, 93, 0.18)', width);
}

export function DepthChart() {
  const { client } = useServices();
  const venue = useKeel((s) => s.venue);
  const symbol = useKeel((s) => s.symbol);
  const inst = useKeel(selectActiveInstrument);
  const key = venue && symbol ? `${venue}|${symbol}` : null;
  const { value: book, error } = usePoll(key, venue && symbol ? () => client.invoke('market.orderBook', { venue, symbol, depth: LEVELS }) : null, POLL_MS);
  const curve = book ? depthCurve(book) : null;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [pointer, setPointer] = useState<number | null>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    draw(canvas, curve);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => draw(canvas, curve));
    observer.observe(canvas);
    return () => observer.disconnect();
  }, [curve]);

  const price = curve && pointer !== null ? curve.low + pointer * (curve.high - curve.low) : null;
  const at = curve && price !== null ? depthAt(curve, price) : null;
  return (
    <div className="depth" aria-label="Depth chart">
      <div className="depth-readout" aria-live="off">
        {at && price !== null ? (
          <span className={at.side === 'bid' ? 'pos' : 'neg'}>
            {fmtQty(String(at.cumulative.toFixed(8)), inst)} {at.side === 'bid' ? 'bid down to' : 'offered up to'} {fmtPrice(String(price), inst)}
          </span>
        ) : curve ? (
          <span className="muted">
            Bids {fmtQty(String(curve.bids[curve.bids.length - 1]!.cumulative.toFixed(8)), inst)} · Asks {fmtQty(String(curve.asks[curve.asks.length - 1]!.cumulative.toFixed(8)), inst)}
          </span>
        ) : (
          <span className="muted">Waiting for the book…</span>
        )}
      </div>
      <canvas
        ref={canvasRef}
        className="depth-canvas"
        role="img"
        aria-label={curve ? `Depth: ${curve.bids.length} bid and ${curve.asks.length} ask levels around ${fmtPrice(String(curve.mid), inst)}` : 'Depth chart, waiting for the book'}
        onMouseMove={(e) => {
          const rect = e.currentTarget.getBoundingClientRect();
          setPointer(rect.width > 0 ? (e.clientX - rect.left) / rect.width : null);
        }}
        onMouseLeave={() => setPointer(null)}
      />
      {curve && (
        <div className="depth-axis num muted" aria-hidden="true">
          <span>{fmtPrice(String(curve.low), inst)}</span>
          <span>{fmtPrice(String(curve.mid), inst)}</span>
          <span>{fmtPrice(String(curve.high), inst)}</span>
        </div>
      )}
      {error && <div className="book-error">{error}</div>}
    </div>
  );
}
