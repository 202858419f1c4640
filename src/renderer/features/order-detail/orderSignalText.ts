/** The signal behind an order, as the order detail lists it: label and text for each fact, the full value for a tooltip. */
import type { Signal } from '../../../shared/contract';
import { fmtDateTime } from '../../lib/format';
import { DIRECTION_STYLE, decision, fmtConfidence, modelLabel, regimeText, shortHash, strategyText, type StrategyName } from '../signals/signalFormat';

export interface SignalFact {
  label: string;
  text: string;
  /** The whole value, where the text shortens it. */
  title?: string;
  className?: string;
  /** Takes two of the six columns. */
  wide?: boolean;
}

export function orderSignalFacts(s: Signal, strategies: readonly StrategyName[]): SignalFact[] {
  const d = decision(s);
  return [
    { label: 'Model', text: modelLabel(s), title: s.modelId, wide: true },
    { label: 'Direction', text: DIRECTION_STYLE[s.direction].label, className: DIRECTION_STYLE[s.direction].className },
    { label: 'Confidence', text: fmtConfidence(s.confidence) },
    { label: 'Features', text: shortHash(s.featuresHash), title: s.featuresHash, className: 'mono-id' },
    { label: 'Regime', text: regimeText(s.regime) },
    { label: 'Bar', text: `${fmtDateTime(s.time)} · ${s.timeframe}`, title: `${s.symbol} on ${s.venue}, scored ${fmtDateTime(s.createdAt)}`, wide: true },
    { label: 'Strategy', text: strategyText(s.strategyId, strategies), ...(s.strategyId === null ? {} : { title: s.strategyId }), wide: true },
    // The detail has room for the whole decision: what the strategy did ("closed long; short at confidence 0.53"), not just that it acted.
    { label: 'Decision', text: d.acted && s.note ? `Acted: ${s.note}` : d.text, title: d.title, wide: true },
  ];
}
