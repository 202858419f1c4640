/**
 * The bottom of the screen. Positions and open orders are always visible,
 * stacked (the live risk a trader must never have to click to see);
 * history, fills, the activity log and the risk panel share a tabbed pane.
 * The panes are plain boxes: the tables inside carry the names ("Positions",
 * "Open orders"), so a look-up by name finds exactly one thing. Splitters
 * size the panes (positions are as tall as their rows until the trader
 * drags); the whole blotter collapses from the tab bar. Each blotter
 * shows every venue or the one its filter names; the counts follow the
 * filters.
 */
import { Tabs, type TabSpec } from '../../components/Tabs';
import { useKeel } from '../../stores/KeelProvider';
import { selectActivityWarnings, selectOpenOrders, selectTradingState, selectVenueUsage } from '../../stores/selectors';
import type { BlotterTab } from '../../stores/ui';
import { ActivityLog } from '../activity/ActivityLog';
import { blotterStyle } from '../layout/layoutStyle';
import { CollapseButton } from '../layout/PaneToggle';
import { Splitter } from '../layout/Splitter';
import { RiskPanel } from '../risk/RiskPanel';
import { WARN_RATIO } from '../risk/usageBar';
import { FillsTable } from './FillsTable';
import { CancelAllButton, OpenOrdersTable } from './OpenOrdersTable';
import { OrderHistoryTable } from './OrderHistoryTable';
import { FlattenAllButton, PositionsTable } from './PositionsTable';
import { useVenueRows } from './useVenueFilter';
import { VenueFilter } from './VenueFilter';

function Count({ n }: { n: number }) {
  return <span className="count">{n}</span>;
}

export function Blotter() {
  const positions = useVenueRows('positions', useKeel((s) => s.positions)).length;
  const open = useVenueRows('open', useKeel(selectOpenOrders)).length;
  const fills = useVenueRows('fills', useKeel((s) => s.fills)).length;
  const warnings = useKeel(selectActivityWarnings);
  const tradingState = useKeel(selectTradingState);
  const nearLimit = useKeel((s) => selectVenueUsage(s)?.entries.some((e) => e.ratio > WARN_RATIO) ?? false);
  const tab = useKeel((s) => s.blotterTab);
  const setTab = useKeel((s) => s.setBlotterTab);
  const layout = useKeel((s) => s.layout);

  const tabs: TabSpec<BlotterTab>[] = [
    { id: 'history', name: 'Order history', label: 'Order history' },
    {
      id: 'fills',
      name: 'Fills',
      label: (
        <>
          Fills <Count n={fills} />
        </>
      ),
    },
    {
      id: 'activity',
      name: 'Activity log',
      label: (
        <>
          Activity log {warnings > 0 && <span className="count count-warn">{warnings}</span>}
        </>
      ),
    },
    {
      id: 'risk',
      name: 'Risk',
      label: (
        <>
          Risk{' '}
          {tradingState && tradingState !== 'ACTIVE' ? (
            <span className={`count count-state-${tradingState.toLowerCase()}`}>{tradingState}</span>
          ) : (
            nearLimit && <span className="count count-warn">!</span>
          )}
        </>
      ),
    },
  ];

  return (
    <div className="blotter" style={blotterStyle(layout, positions)}>
      <div className="blotter-live" id="pane-live">
        <div className="panel blotter-pane" id="pane-positions">
          <div className="panel-title">
            <span>
              Positions <Count n={positions} />
            </span>
            <span className="pane-actions">
              <VenueFilter blotter="positions" name="Positions" />
              <FlattenAllButton />
            </span>
          </div>
          <PositionsTable />
        </div>
        <Splitter split="live" orientation="horizontal" sized="before" controls="pane-positions" label="Resize positions and open orders" />
        <div className="panel blotter-pane">
          <div className="panel-title">
            <span>
              Open orders <Count n={open} />
            </span>
            <span className="pane-actions">
              <VenueFilter blotter="open" name="Open orders" />
              <CancelAllButton />
            </span>
          </div>
          <OpenOrdersTable />
        </div>
      </div>
      <Splitter split="blotter" orientation="vertical" sized="before" controls="pane-live" label="Resize the live blotters and the history" />
      <div className="panel blotter-pane blotter-tabs">
        <Tabs
          label="History"
          tabs={tabs}
          active={tab}
          onChange={setTab}
          idPrefix="blotter"
          actions={
            <>
              {tab === 'history' && <VenueFilter blotter="history" name="Order history" />}
              {tab === 'fills' && <VenueFilter blotter="fills" name="Fills" />}
              <CollapseButton pane="bottom" />
            </>
          }
        >
          {tab === 'history' && <OrderHistoryTable />}
          {tab === 'fills' && <FillsTable />}
          {tab === 'activity' && <ActivityLog />}
          {tab === 'risk' && <RiskPanel />}
        </Tabs>
      </div>
    </div>
  );
}
