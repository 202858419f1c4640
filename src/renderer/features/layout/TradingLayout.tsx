/**
 * The trading view's panes on one grid: watchlist and book on the left,
 * the chart, the ticket on the right and the blotter along the bottom, with
 * a splitter between each pair and inside the left column. Sizes come from
 * the layout slice (saved per window); a collapsed pane leaves a rail that
 * brings it back. Panes are wrapped, not changed: each feature renders as
 * it always has.
 */
import type { ReactNode } from 'react';
import { useKeel } from '../../stores/KeelProvider';
import { selectOpenOrders, selectVenueInstruments } from '../../stores/selectors';
import { leftColumnStyle, workspaceStyle } from './layoutStyle';
import { PaneRail, paneId } from './PaneToggle';
import { Splitter } from './Splitter';
import './layout.css';

interface Props {
  id: string;
  labelledBy: string;
  hidden: boolean;
  watchlist: ReactNode;
  book: ReactNode;
  chart: ReactNode;
  ticket: ReactNode;
  blotter: ReactNode;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export function TradingLayout({ id, labelledBy, hidden, watchlist, book, chart, ticket, blotter }: Props) {
  const layout = useKeel((s) => s.layout);
  const watchRows = useKeel((s) => selectVenueInstruments(s).length);
  const positions = useKeel((s) => s.positions.length);
  const orders = useKeel((s) => selectOpenOrders(s).length);
  const { collapsed } = layout;

  return (
    <main id={id} className="workspace" aria-labelledby={labelledBy} hidden={hidden} style={workspaceStyle(layout)}>
      {collapsed.left ? (
        <div className="area-left">
          <PaneRail pane="left" />
        </div>
      ) : (
        <>
          <div className="area-left col-left" id={paneId('left')} style={leftColumnStyle(layout, watchRows)}>
            <div className="pane-slot" id="pane-watchlist">
              {watchlist}
            </div>
            <Splitter split="watch" orientation="horizontal" sized="before" controls="pane-watchlist" label="Resize the watchlist" />
            <div className="pane-slot">{book}</div>
          </div>
          <Splitter
            split="left"
            orientation="vertical"
            sized="before"
            controls={paneId('left')}
            label="Resize the watchlist and order book"
            collapses="left"
            className="area-split-left"
          />
        </>
      )}
      <div className="area-chart pane-slot">{chart}</div>
      {collapsed.ticket ? (
        <div className="area-ticket">
          <PaneRail pane="ticket" />
        </div>
      ) : (
        <>
          <Splitter
            split="ticket"
            orientation="vertical"
            sized="after"
            controls={paneId('ticket')}
            label="Resize the order ticket"
            collapses="ticket"
            className="area-split-ticket"
          />
          <div className="area-ticket pane-slot" id={paneId('ticket')}>
            {ticket}
          </div>
        </>
      )}
      {collapsed.bottom ? (
        <div className="area-bottom">
          <PaneRail pane="bottom" summary={`${plural(positions, 'position')} · ${plural(orders, 'open order')}`} />
        </div>
      ) : (
        <>
          <Splitter
            split="bottom"
            orientation="horizontal"
            sized="after"
            controls={paneId('bottom')}
            label="Resize the blotter"
            collapses="bottom"
            className="area-split-bottom"
          />
          <div className="area-bottom pane-slot" id={paneId('bottom')}>
            {blotter}
          </div>
        </>
      )}
    </main>
  );
}
