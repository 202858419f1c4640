/**
 * A model scoring port whose "model" says what a test scripts for each bar
 * (direction, confidence, regime), so a strategy's decisions can be checked
 * one by one without training anything. Its signals go to an in-memory
 * sink, decisions and order links included, as the live scorer's do.
 */
import type { ModelScore, ModelScoringPort, ModelSession, ScoringInstance } from '../../src/main/engine/strategies/modelScoring';
import { MemorySignalSink } from '../../src/main/ml/signals/memorySignalSink';
import type { RegimeLabelName } from '../../src/shared/contract/ml';
import type { SignalDirection } from '../../src/shared/contract/signals';
import type { Bar } from '../../src/shared/domain';
import { KeelError } from '../../src/shared/errors';

export interface ScriptedCall {
  direction: SignalDirection;
  confidence: number;
  regime?: RegimeLabelName | null;
}

/** The call for the bar at `index` (0 = the first bar fed, warm-up included); null: the model cannot score it. */
export type Script = (index: number, bar: Bar) => ScriptedCall | null;

export const SCRIPTED_MODEL = 'scripted';

export class ScriptedScoring implements ModelScoringPort {
  readonly sink = new MemorySignalSink({});
  /** Bar index of each signal, by signal id. */
  readonly barOf = new Map<string, number>();
  readonly said: string[] = [];

  constructor(
    private readonly script: Script,
    readonly warmupBars = 2,
    private readonly horizon = 3,
  ) {}

  check(model: string): void {
    if (model !== SCRIPTED_MODEL) throw new KeelError('VALIDATION_FAILED', `there is no model named "${model}"`);
  }

  open(instance: ScoringInstance): ModelSession {
    const bars: Bar[] = [];
    const answers = new Map<number, ModelScore | null>();
    const call = (): ScriptedCall | null => (bars.length === 0 ? null : this.script(bars.length - 1, bars[bars.length - 1]!));
    return {
      update: (bar) => void bars.push(bar),
      regime: () => call()?.regime ?? null,
      score: async (model) => {
        const index = bars.length - 1;
        if (answers.has(index)) return answers.get(index)!;
        const scripted = model === SCRIPTED_MODEL ? call() : null;
        if (!scripted) {
          this.said.push(`no decision: bar ${index}`);
          instance.say(`no decision: bar ${index} could not be scored`);
          answers.set(index, null);
          return null;
        }
        const others = (1 - scripted.confidence) / 2;
        const probabilities = {
          long: scripted.direction === 'long' ? scripted.confidence : others,
          short: scripted.direction === 'short' ? scripted.confidence : others,
          neutral: scripted.direction === 'neutral' ? scripted.confidence : others,
        };
        const bar = bars[index]!;
        const signal = this.sink.record({
          time: bar.time,
          venue: instance.venue,
          symbol: instance.symbol,
          timeframe: '1d',
          direction: scripted.direction,
          confidence: scripted.confidence,
          probabilities,
          modelId: 'm-scripted',
          modelName: SCRIPTED_MODEL,
          modelVersion: 1,
          featuresHash: 'scripted',
          strategyId: instance.strategyId,
          regime: scripted.regime ?? null,
          acted: false,
          note: 'no decision recorded yet',
        });
        this.barOf.set(signal.id, index);
        const score: ModelScore = {
          signalId: signal.id,
          time: bar.time,
          direction: scripted.direction,
          confidence: scripted.confidence,
          probabilities,
          model: { id: 'm-scripted', name: SCRIPTED_MODEL, version: 1 },
          featuresHash: 'scripted',
          regime: scripted.regime ?? null,
          horizon: this.horizon,
        };
        answers.set(index, score);
        return score;
      },
      decide: (signalId, acted, note) => this.sink.decide(signalId, acted, note),
      linkOrder: (signalId, orderId) => this.sink.linkOrder(signalId, orderId),
      close: () => undefined,
    };
  }

  /** The signal scored on the bar at `index`. */
  signalAt(index: number) {
    const id = [...this.barOf.entries()].find(([, bar]) => bar === index)?.[0];
    return id === undefined ? undefined : this.sink.get(id);
  }
}
