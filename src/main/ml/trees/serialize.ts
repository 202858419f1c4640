/**
 * A model as compact, versioned JSON (for the model registry's SQLite row and
 * for export): each tree's node and leaf arrays as plain number arrays, the
 * same layout as in memory. Loading checks the shape with zod and then the
 * structure a scorer relies on (array lengths, features in range, every
 * child numbered after its parent so a walk always ends, every leaf reached
 * once), so a damaged or hand-edited body is refused rather than mis-scored.
 * Numbers round-trip exactly (JSON writes the shortest text that reads back
 * as the same double); infinite thresholds are written as strings.
 */
import { z } from 'zod';
import { KeelError, errorText } from '../../../shared/errors';
import { scoreSlots, type TreeModel } from './model';
import type { Tree } from './tree';

export const TREE_MODEL_FORMAT = 'keel.trees';
export const TREE_MODEL_VERSION = 1;

const finite = z.number();
const count = z.number().int().min(0);
const threshold = z.union([z.number(), z.literal('Infinity'), z.literal('-Infinity')]);

const treeSchema = z.object({
  target: z.number().int().min(0),
  width: z.number().int().min(1),
  feature: z.array(z.number().int().min(0)),
  threshold: z.array(threshold),
  missingLeft: z.array(z.union([z.literal(0), z.literal(1)])),
  left: z.array(z.number().int()),
  right: z.array(z.number().int()),
  gain: z.array(finite),
  count: z.array(count),
  leafValue: z.array(finite),
  leafCount: z.array(count),
});

export const treeModelJsonSchema = z
  .object({
    format: z.literal(TREE_MODEL_FORMAT),
    version: z.literal(TREE_MODEL_VERSION),
    kind: z.enum(['gbdt', 'forest']),
    task: z.enum(['classification', 'regression']),
    numClasses: z.number().int().min(1).max(256),
    numFeatures: z.number().int().min(1),
    baseScore: z.array(finite),
    trees: z.array(treeSchema),
    featureNames: z.array(z.string()).optional(),
    classNames: z.array(z.string()).optional(),
  })
  .superRefine((m, ctx) => {
    const problem = structuralProblem(m);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
  });

export type TreeModelJson = z.infer<typeof treeModelJsonSchema>;
type TreeJson = z.infer<typeof treeSchema>;

function structuralProblem(m: TreeModelJson): { message: string; path: (string | number)[] } | null {
  if ((m.task === 'regression') !== (m.numClasses === 1)) return { message: 'regression has 1 class, classification at least 2', path: ['numClasses'] };
  const slots = scoreSlots(m);
  const width = m.kind === 'forest' ? slots : 1;
  if (m.baseScore.length !== (m.kind === 'gbdt' ? slots : 0)) return { message: `expected ${m.kind === 'gbdt' ? slots : 0} base scores`, path: ['baseScore'] };
  if (m.featureNames && m.featureNames.length !== m.numFeatures) return { message: `expected ${m.numFeatures} feature names`, path: ['featureNames'] };
  if (m.classNames && m.classNames.length !== m.numClasses) return { message: `expected ${m.numClasses} class names`, path: ['classNames'] };
  for (let i = 0; i < m.trees.length; i++) {
    const message = treeProblem(m.trees[i]!, m.numFeatures, width, m.kind === 'gbdt' ? slots : 1);
    if (message !== null) return { message, path: ['trees', i] };
  }
  return null;
}

function treeProblem(t: TreeJson, numFeatures: number, width: number, targets: number): string | null {
  if (t.width !== width) return `leaf width ${t.width}, expected ${width}`;
  if (t.target >= targets) return `target ${t.target} is not a score slot (0..${targets - 1})`;
  const nodes = t.feature.length;
  for (const [name, a] of [['threshold', t.threshold], ['missingLeft', t.missingLeft], ['left', t.left], ['right', t.right], ['gain', t.gain], ['count', t.count]] as const) {
    if (a.length !== nodes) return `${name} has ${a.length} entries for ${nodes} nodes`;
  }
  const leaves = t.leafCount.length;
  if (leaves !== nodes + 1) return `${leaves} leaves for ${nodes} internal nodes (a binary tree has one more)`;
  if (t.leafValue.length !== leaves * width) return `leafValue has ${t.leafValue.length} entries for ${leaves} leaves of width ${width}`;
  const reached = new Uint8Array(leaves);
  const entered = new Uint8Array(nodes);
  for (let i = 0; i < nodes; i++) {
    if (t.feature[i]! >= numFeatures) return `node ${i} splits on feature ${t.feature[i]}, the model has ${numFeatures}`;
    for (const child of [t.left[i]!, t.right[i]!]) {
      if (child >= 0) {
        // Children after parents: every walk moves forward, so it ends.
        if (child <= i || child >= nodes) return `node ${i} points at node ${child}`;
        if (entered[child]!++) return `node ${child} has two parents`;
      } else {
        const leaf = ~child;
        if (leaf >= leaves) return `node ${i} points at leaf ${leaf} of ${leaves}`;
        if (reached[leaf]!++) return `leaf ${leaf} has two parents`;
      }
    }
  }
  return null;
}

function thresholdToJson(v: number): number | 'Infinity' | '-Infinity' {
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

export function modelToJson(model: TreeModel): TreeModelJson {
  return {
    format: TREE_MODEL_FORMAT,
    version: TREE_MODEL_VERSION,
    kind: model.kind,
    task: model.task,
    numClasses: model.numClasses,
    numFeatures: model.numFeatures,
    baseScore: Array.from(model.baseScore),
    trees: model.trees.map((t) => ({
      target: t.target,
      width: t.width,
      feature: Array.from(t.feature),
      threshold: Array.from(t.threshold, thresholdToJson),
      missingLeft: Array.from(t.missingLeft, (b) => (b === 1 ? 1 : 0)),
      left: Array.from(t.left),
      right: Array.from(t.right),
      gain: Array.from(t.gain),
      count: Array.from(t.count),
      leafValue: Array.from(t.leafValue),
      leafCount: Array.from(t.leafCount),
    })),
    ...(model.featureNames ? { featureNames: [...model.featureNames] } : {}),
    ...(model.classNames ? { classNames: [...model.classNames] } : {}),
  };
}

export function modelToJsonText(model: TreeModel): string {
  return JSON.stringify(modelToJson(model));
}

/** A model from its JSON value, or VALIDATION_FAILED naming the first few problems. */
export function modelFromJson(value: unknown): TreeModel {
  const parsed = treeModelJsonSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.map(String).join('.') || 'model'}: ${issue.message}`);
    throw new KeelError('VALIDATION_FAILED', `Not a valid tree model: ${issues.join('; ')}`);
  }
  const m = parsed.data;
  const trees: Tree[] = m.trees.map((t) => ({
    target: t.target,
    width: t.width,
    feature: Int32Array.from(t.feature),
    threshold: Float64Array.from(t.threshold, (v) => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v)),
    missingLeft: Uint8Array.from(t.missingLeft),
    left: Int32Array.from(t.left),
    right: Int32Array.from(t.right),
    gain: Float64Array.from(t.gain),
    count: Int32Array.from(t.count),
    leafValue: Float64Array.from(t.leafValue),
    leafCount: Int32Array.from(t.leafCount),
  }));
  return {
    kind: m.kind,
    task: m.task,
    numClasses: m.numClasses,
    numFeatures: m.numFeatures,
    baseScore: Float64Array.from(m.baseScore),
    trees,
    ...(m.featureNames ? { featureNames: m.featureNames } : {}),
    ...(m.classNames ? { classNames: m.classNames } : {}),
  };
}

export function modelFromJsonText(text: string): TreeModel {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new KeelError('VALIDATION_FAILED', `Not a valid tree model: ${errorText(error)}`);
  }
  return modelFromJson(value);
}
