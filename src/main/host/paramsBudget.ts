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
