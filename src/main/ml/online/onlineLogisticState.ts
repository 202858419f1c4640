/**
 * The saved form of an online logistic model: plain JSON, checked with zod
 * on the way back in so a truncated or hand-edited state is refused instead
 * of silently predicting nonsense. Float64 weights round-trip exactly through
 * JSON, so a restored model predicts bit for bit like the one saved.
 */
import { z } from 'zod';

const finite = z.number().finite();

export const onlineLogisticOptionsSchema = z.object({
  /** Input columns. */
  features: z.number().int().min(1).max(100_000),
  /** 2 = binary (sigmoid, labels 0/1); 3 or more = multinomial (softmax, labels 0..classes-1). */
  classes: z.number().int().min(2).max(1_000),
  /** L2 penalty on the weights (not the intercepts): the objective is mean log loss + l2 / 2 * |w|^2. */
  l2: z.number().min(0),
  /** Step size of the first update. */
  learningRate: z.number().positive(),
  /** Step t uses learningRate / (1 + decay * t), never below minLearningRate. */
  decay: z.number().min(0),
  /** The floor keeps a live model adapting; set 0 to converge to the batch optimum. */
  minLearningRate: z.number().min(0),
  /** Standardise inputs by running mean and variance before they reach the weights. */
  standardise: z.boolean(),
});
export type OnlineLogisticOptions = z.infer<typeof onlineLogisticOptionsSchema>;

export const DEFAULT_ONLINE_LOGISTIC: Readonly<Omit<OnlineLogisticOptions, 'features' | 'classes'>> = Object.freeze({
  l2: 1e-3,
  learningRate: 0.05,
  decay: 1e-3,
  minLearningRate: 0.005,
  standardise: true,
});

export const onlineLogisticStateSchema = z
  .object({
    format: z.literal('keel.online-logistic'),
    version: z.literal(1),
    options: onlineLogisticOptionsSchema,
    updates: z.number().int().min(0),
    /** One row per class (a single row, for class 1, when binary), each `features` long. */
    weights: z.array(z.array(finite)),
    bias: z.array(finite),
    scaler: z.object({ count: z.number().int().min(0), mean: z.array(finite), m2: z.array(z.number().finite().min(0)) }),
  })
  .superRefine((state, ctx) => {
    const rows = state.options.classes === 2 ? 1 : state.options.classes;
    const d = state.options.features;
    if (state.weights.length !== rows || state.weights.some((w) => w.length !== d)) ctx.addIssue({ code: 'custom', message: `weights must be ${rows} x ${d}`, path: ['weights'] });
    if (state.bias.length !== rows) ctx.addIssue({ code: 'custom', message: `bias must have ${rows} entries`, path: ['bias'] });
    if (state.scaler.mean.length !== d || state.scaler.m2.length !== d) ctx.addIssue({ code: 'custom', message: `scaler must have ${d} features`, path: ['scaler'] });
  });
export type OnlineLogisticState = z.infer<typeof onlineLogisticStateSchema>;
