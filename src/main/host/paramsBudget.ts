/**
 * A budget on the shape of a request's params, checked before the schema
 * runs. Zod validates every element of an array before it checks the
 * array's length, so a 520,000-element list would cost seconds of CPU and an
 * issue per element. This walk stops at the first thing over budget and
 * costs at most a few thousand steps, whatever arrived.
 *
 * The limits sit far above anything a legitimate call sends (the largest,
 * `risk.limits.set` with every instrument overridden, is a few hundred
 * values); the schemas then apply the exact bounds with readable messages.
 */
import { MAX_DATASET_CSV_CHARS, MAX_DATASET_PART_CHARS } from '../../shared/contract/backtests';
import { MAX_ONNX_BASE64_CHARS, MAX_PREDICT_CSV_CHARS } from '../../shared/contract/ml';

export interface ParamsBudget {
  maxNodes: number;
  maxDepth: number;
  maxStringChars: number;
}

export const PARAMS_BUDGET: Readonly<ParamsBudget> = {
  /** Values visited in total (objects, arrays and leaves). */
  maxNodes: 20_000,
  maxDepth: 16,
  /** Characters in one string, key or value. */
  maxStringChars: 4_096,
};

/**
 * Methods whose params carry one large text by design (a CSV file being
 * imported): their strings may be as long as the contract's own bound for
 * it, which the schema then enforces exactly. Everything else keeps the
 * default budget.
 */
export const BULK_TEXT_BUDGETS: Readonly<Record<string, Readonly<ParamsBudget>>> = {
  'datasets.import': { ...PARAMS_BUDGET, maxStringChars: MAX_DATASET_CSV_CHARS },
  'datasets.uploadPart': { ...PARAMS_BUDGET, maxStringChars: MAX_DATASET_PART_CHARS },
  'models.import': { ...PARAMS_BUDGET, maxStringChars: MAX_ONNX_BASE64_CHARS },
  'models.predictBatch': { ...PARAMS_BUDGET, maxStringChars: MAX_PREDICT_CSV_CHARS },
};

export function budgetFor(method: string): Readonly<ParamsBudget> {
  return Object.prototype.hasOwnProperty.call(BULK_TEXT_BUDGETS, method) ? BULK_TEXT_BUDGETS[method]! : PARAMS_BUDGET;
}

/** Returns why the params are over budget, or null when they are within it. */
export function checkParamsBudget(params: unknown, budget: Readonly<ParamsBudget> = PARAMS_BUDGET): string | null {
  let nodes = 0;
  const stack: Array<{ value: unknown; depth: number }> = [{ value: params, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    nodes += 1;
    if (nodes > budget.maxNodes) return `params hold more than ${budget.maxNodes} values`;
    if (typeof value === 'string') {
      if (value.length > budget.maxStringChars) return `a string in params is longer than ${budget.maxStringChars} characters`;
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= budget.maxDepth) return `params are nested deeper than ${budget.maxDepth} levels`;
    if (Array.isArray(value)) {
      if (value.length > budget.maxNodes) return `a list in params has more than ${budget.maxNodes} items`;
      for (const item of value) stack.push({ value: item, depth: depth + 1 });
      continue;
    }
    for (const key of Object.keys(value)) {
      if (key.length > budget.maxStringChars) return `a key in params is longer than ${budget.maxStringChars} characters`;
      stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
      if (stack.length > budget.maxNodes) return `params hold more than ${budget.maxNodes} values`;
    }
  }
  return null;
}
