/**
 * ML-scored: trades a model's calls. Each closed bar is scored by a model
 * of the registry (long, short or neutral, with a probability); only a call
 * more confident than the threshold, and in a regime the gate lets through,
 * moves the position. Every signal records whether it was acted on and why
 * not, and every order it places is linked to the signal that caused it.
 */
import type { RegimeLabelName } from '../../../../shared/contract/ml';
import type { OrderSide } from '../../../../shared/domain';
import type { Sizing } from '../context';
import { defineStrategy } from '../definition';
import type { ModelScore } from '../modelScoring';

export const REGIME_GATES = ['off', 'not-volatile', 'trending', 'with-trend'] as const;
export const ML_SIZINGS = ['equity-fraction', 'fixed-value'] as const;
export const ML_EXITS = ['opposite', 'neutral-or-opposite'] as const;

export interface MlScoredParams {
  [name: string]: number | boolean | string;
  model: string;
  threshold: number;
  regimeGate: (typeof REGIME_GATES)[number];
  sizing: (typeof ML_SIZINGS)[number];
  equityFraction: number;
  orderValue: number;
  allowShort: boolean;
  exitOn: (typeof ML_EXITS)[number];
  exitAfterHorizon: boolean;
}

type Side = 'long' | 'short';

/** Open time of the bar whose signal opened (or last renewed) the position, for the horizon exit. */
const ENTRY = 'entry';

/** Why the gate keeps an entry on `side` out in `regime`; null when it lets it through. */
export function regimeGateRefusal(gate: MlScoredParams['regimeGate'], side: Side, regime: RegimeLabelName | null): string | null {
  if (gate === 'off') return null;
  if (regime === null) return 'regime not known yet: gated out';
  const name = regime.replace('_', ' ');
  if (gate === 'not-volatile') return regime === 'volatile' ? 'regime volatile gated out' : null;
  if (gate === 'trending') return regime === 'trending_up' || regime === 'trending_down' ? null : `regime ${name} gated out (enters only in a trend)`;
  const wanted: RegimeLabelName = side === 'long' ? 'trending_up' : 'trending_down';
  return regime === wanted ? null : `regime ${name} gated out (a ${side} enters only trending ${side === 'long' ? 'up' : 'down'})`;
}

/** A probability as a note shows it: two decimals, more when two decimals would hide which side of the threshold it is. */
export function confidenceText(value: number, threshold: number): string {
  const short = value.toFixed(2);
  return short === threshold.toFixed(2) && value !== threshold ? value.toFixed(4) : short;
}

export const mlScored = defineStrategy<MlScoredParams>({
  type: 'ml-scored',
  name: 'ML-scored',
  summary: 'Trades a model\'s long / short calls on each closed bar, only when its confidence passes a threshold (and the regime gate).',
  explanation: [
    'On each closed bar the chosen model of the registry scores the bar\'s features (the same feature pipeline it was trained on, fed every bar since the strategy started): the probability that the price goes up (long), down (short) or nowhere much (neutral) over the model\'s horizon. The most probable of the three is the signal, its probability the confidence. Pick the model by name to follow its active version (activating another version switches the strategy at the next bar), or pin one version.',
    'Only a signal more confident than the threshold (75 % by default) moves anything. A confident long closes a short and opens a long; a confident short closes a long and, with "Go short" on, opens a short. A confident neutral closes the position when the exit rule says "neutral or opposite", and is otherwise ignored. With "Exit after the horizon" on, a position is also closed once it has been held for the model\'s horizon (the bars ahead it was trained to call), unless the bar\'s signal calls the same side again, which renews it.',
    'The regime gate holds entries back in some markets, read by the same regime classifier as the chart\'s band: "not-volatile" enters in anything but a volatile market, "trending" only when trending up or down, "with-trend" a long only when trending up and a short only when trending down. The gate never holds back an exit.',
    'Sizing: a share of equity (times the leverage) or a fixed value in the quote currency, per entry, rounded down to whole lots.',
    'Every scored bar is a signal with the model version, its features hash and the regime; it records whether the strategy acted on it and, if not, why ("confidence 0.62 below 0.75", "regime volatile gated out", "already long"), and every order it placed is linked to it. A model past its maximum age makes no new decisions: the signal is recorded, not acted on, and the strategy says so. No decision is made from a bar the model could not score (features still warming up, the scoring failed or took too long): the reason is in its log.',
    'Risks: a model is only as good as the data it was trained on, and its confidence is not a promise; check its out-of-sample figures in the Models view, backtest the strategy with it (the backtest scores with the same code), and give it a daily loss limit when it trades. There is no stop loss: an exit comes only from a signal or the horizon.',
  ].join('\n\n'),
  params: [
    { name: 'model', label: 'Model', type: 'model', default: '', description: 'The model that scores each bar: a name follows its active version; a version id pins that version.' },
    { name: 'threshold', label: 'Confidence threshold', type: 'float', default: 0.75, min: 0.34, max: 0.99, step: 0.01, description: 'Acts only on a signal whose probability is above this (0.75 = 75 %).' },
    { name: 'regimeGate', label: 'Regime gate', type: 'enum', default: 'off', options: REGIME_GATES, description: 'Entries only in some regimes: not-volatile, trending (up or down), or with-trend (long only trending up, short only trending down).' },
    { name: 'sizing', label: 'Sizing', type: 'enum', default: 'equity-fraction', options: ML_SIZINGS, description: 'Each entry worth a share of equity, or a fixed value in the quote currency.' },
    { name: 'equityFraction', label: 'Equity share', type: 'float', default: 0.1, min: 0.001, max: 1, step: 0.01, description: 'With equity-fraction sizing: the share of equity (times the leverage) per entry (0.1 = 10 %).' },
    { name: 'orderValue', label: 'Order value', type: 'float', default: 1000, min: 1, max: 1_000_000_000, step: 100, description: 'With fixed-value sizing: the value of each entry in the quote currency.' },
    { name: 'allowShort', label: 'Go short', type: 'bool', default: true, description: 'Open a short on a confident short signal (otherwise it only closes a long).' },
    { name: 'exitOn', label: 'Exit on', type: 'enum', default: 'opposite', options: ML_EXITS, description: 'Close on a confident opposite signal only, or on a confident neutral one too.' },
    { name: 'exitAfterHorizon', label: 'Exit after the horizon', type: 'bool', default: false, description: 'Also close once the position has been held for the model\'s horizon (in bars).' },
  ],
  // The model's own warm-up (its feature pipeline) is added by the instance.
  warmupBars: () => 0,
  create(ctx, p) {
    const held = (): Side | null => {
      const q = ctx.position().quantity;
      return q > 0 ? 'long' : q < 0 ? 'short' : null;
    };
    const sizing = (): Sizing => (p.sizing === 'fixed-value' ? { value: p.orderValue } : { equityFraction: p.equityFraction });
    const label = (s: ModelScore) => `${s.model.name} v${s.model.version}`;

    /** Closes the position with a reduce-only market order linked to the signal; answers whether it is flat now. */
    const close = async (side: Side, score: ModelScore, why: string): Promise<boolean> => {
      const quantity = Math.abs(ctx.position().quantity);
      const exit: OrderSide = side === 'long' ? 'sell' : 'buy';
      await ctx.submit({ side: exit, size: { quantity }, reduceOnly: true, reason: `${label(score)}: ${why}: close ${side}`, signalId: score.signalId });
      const flat = held() === null;
      if (flat) ctx.state.delete(ENTRY);
      return flat;
    };

    /** Bars closed since the position's entry signal, counted up to `horizon`. */
    const barsHeld = (horizon: number): number => {
      const entry = ctx.state.get<number>(ENTRY);
      if (entry === undefined) return 0;
      return ctx.bars(horizon + 1).filter((b) => b.time > entry).length;
    };

    return {
      async onBar() {
        const score = await ctx.models.score(p.model);
        // No score: the reason is already in its log and shown as its last signal.
        if (!score) return;
        const notes: string[] = [];
        let acted = false;
        let side = held();
        if (side === null) ctx.state.delete(ENTRY);
        const confident = score.confidence > p.threshold;
        const confidence = confidenceText(score.confidence, p.threshold);

        if (side !== null && p.exitAfterHorizon && barsHeld(score.horizon) >= score.horizon && !(confident && score.direction === side)) {
          if (await close(side, score, `held for the model's horizon of ${score.horizon} bars`)) {
            notes.push(`closed ${side} after the horizon of ${score.horizon} bars`);
            acted = true;
            side = null;
          }
        }
        if (!confident) {
          notes.push(`confidence ${confidence} below ${p.threshold}`);
          ctx.models.decide(score.signalId, acted, notes.join('; '));
          return;
        }
        const call = score.direction;
        if (call === 'neutral') {
          if (side !== null && p.exitOn === 'neutral-or-opposite') {
            if (await close(side, score, `neutral at confidence ${confidence}`)) {
              notes.push(`neutral at confidence ${confidence}: closed ${side}`);
              acted = true;
            } else notes.push(`neutral: the close of the ${side} was refused`);
          } else notes.push(side === null ? 'neutral: stays flat' : `neutral: keeps the ${side} (exits on the opposite signal)`);
          ctx.models.decide(score.signalId, acted, notes.join('; '));
          return;
        }
        if (side === call) {
          // The model calls the same side again: the position stays, and its horizon starts over.
          ctx.state.set(ENTRY, score.time);
          notes.push(`already ${call}`);
          ctx.models.decide(score.signalId, acted, notes.join('; '));
          return;
        }
        if (side !== null) {
          if (!(await close(side, score, `${call} at confidence ${confidence}`))) {
            notes.push(`${call} at confidence ${confidence}: the close of the ${side} was refused`);
            ctx.models.decide(score.signalId, acted, notes.join('; '));
            return;
          }
          notes.push(`closed ${side}`);
          acted = true;
        }
        const refusal = call === 'short' && !p.allowShort ? 'short not allowed' : regimeGateRefusal(p.regimeGate, call, score.regime);
        if (refusal) {
          notes.push(refusal);
          ctx.models.decide(score.signalId, acted, notes.join('; '));
          return;
        }
        const order = await ctx.submit({
          side: call === 'long' ? 'buy' : 'sell',
          size: sizing(),
          reason: `${label(score)}: ${call} at confidence ${confidence}${score.regime ? ` (${score.regime.replace('_', ' ')})` : ''}`,
          signalId: score.signalId,
        });
        if (order && held() === call) {
          ctx.state.set(ENTRY, score.time);
          notes.push(`${call} at confidence ${confidence}`);
          acted = true;
        } else notes.push(`${call} at confidence ${confidence}: the entry was refused or did not fill (see its log)`);
        ctx.models.decide(score.signalId, acted, notes.join('; '));
      },
    };
  },
});
