/**
 * An instance's side of model scoring: the session it opens on the scoring
 * port when its strategy scores models or reads the regime, fed every
 * closed bar the instance absorbs, the warm-up it adds, and the part of the
 * context a strategy reaches it through. A strategy that declares neither
 * opens nothing and pays nothing per bar.
 */
import type { RegimeLabelName } from '../../../shared/contract/ml';
import type { Bar } from '../../../shared/domain';
import type { StrategyModels } from './context';
import { usesMarketFeatures, type StrategyDefinition } from './definition';
import type { ModelScoringPort, ModelSession, ScoringInstance } from './modelScoring';

export class InstanceModels {
  /** Bars the session needs before its rows are complete (0 when none is opened). */
  readonly warmupBars: number;
  private readonly enabled: boolean;
  private session: ModelSession | null = null;

  constructor(
    private readonly port: ModelScoringPort | undefined,
    definition: Pick<StrategyDefinition, 'params' | 'usesRegime'>,
    private readonly instance: ScoringInstance,
  ) {
    this.enabled = usesMarketFeatures(definition);
    this.warmupBars = this.enabled ? (port?.warmupBars ?? 0) : 0;
  }

  /** A fresh session (new features) for a start; throws when the strategy needs one and nothing here scores models. */
  start(): void {
    this.stop();
    if (!this.enabled) return;
    if (!this.port) throw new Error('model scoring is not available here');
    this.session = this.port.open(this.instance);
  }

  update(bar: Bar): void {
    this.session?.update(bar);
  }

  regime(): RegimeLabelName | null {
    return this.session?.regime() ?? null;
  }

  /** An order the instance placed for a signal: linked once it exists. */
  linkOrder(signalId: string, orderId: string): void {
    this.session?.linkOrder(signalId, orderId);
  }

  stop(): void {
    this.session?.close();
    this.session = null;
  }

  /** `ctx.models` and `ctx.regime`. */
  context(): { models: StrategyModels; regime: () => RegimeLabelName | null } {
    const live = (what: string): ModelSession => {
      if (!this.enabled) throw new Error(`${what}: the strategy declares no model parameter${what === 'regime' ? ' and does not set usesRegime' : ''}`);
      if (!this.session) throw new Error(`${what}: the strategy is not running`);
      return this.session;
    };
    return {
      models: {
        score: (model) => live('models.score').score(model),
        decide: (signalId, acted, note) => live('models.decide').decide(signalId, acted, note),
      },
      regime: () => live('regime').regime(),
    };
  }
}
