/** The left column's market data, one at a time: the order book, time and sales, or the depth chart. */
import { useState } from 'react';
import { Tabs, type TabSpec } from '../../components/Tabs';
import { OrderBookLadder } from '../order-book/OrderBook';
import { DepthChart } from './DepthChart';
import { TimeAndSales } from './TimeAndSales';
import './marketData.css';

type MarketTab = 'book' | 'trades' | 'depth';

const TABS: readonly TabSpec<MarketTab>[] = [
  { id: 'book', label: 'Book', name: 'Order book' },
  { id: 'trades', label: 'Trades', name: 'Time and sales' },
  { id: 'depth', label: 'Depth', name: 'Depth chart' },
];

export function MarketPanel() {
  const [tab, setTab] = useState<MarketTab>('book');
  return (
    <section className="panel book market-panel" aria-label="Market data">
      <Tabs<MarketTab> label="Market data" tabs={TABS} active={tab} onChange={setTab} idPrefix="market">
        {tab === 'book' ? <OrderBookLadder /> : tab === 'trades' ? <TimeAndSales /> : <DepthChart />}
      </Tabs>
    </section>
  );
}
