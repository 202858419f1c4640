/**
 * What the live scorer tells whoever watches a model at work: each closed
 * bar it scored, with the features it scored and what the model said. The
 * model monitor learns the realized outcome from the later bars of the same
 * stream (the online "hybrid" model, rolling accuracy, feature drift).
 */
export interface ScoredRow {
  modelId: string;
  venue: string;
  symbol: string;
  timeframe: string;
  /** Open time of the closed bar scored. */
  time: number;
  /** Its close: the monitor reads realized returns from the closes of later rows. */
  close: number;
  /** The model's input row, in the model's feature order. */
  features: readonly number[];
  /** Class probabilities for a direction model; null for a return model. */
  probabilities: { long: number; short: number; neutral: number } | null;
  /** The predicted return for a return model; null for a direction model. */
  value: number | null;
}

export interface ScoringObserver {
  observe(row: ScoredRow): void;
}
