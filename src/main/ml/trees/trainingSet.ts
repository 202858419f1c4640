/** What a trainer is given: the feature matrix, its labels, an optional validation set and names for the features and classes. */
import { KeelError } from '../../../shared/errors';
import type { Labels, Matrix } from './matrix';

export interface TrainingSet {
  x: Matrix;
  y: Labels;
  /** Rows held out from training: their loss is logged per round, and early stopping watches it. */
  validation?: { x: Matrix; y: Labels };
  featureNames?: string[];
  classNames?: string[];
}

export function checkNames(data: Pick<TrainingSet, 'featureNames' | 'classNames'>, cols: number, classes: number): void {
  if (data.featureNames && data.featureNames.length !== cols) {
    throw new KeelError('VALIDATION_FAILED', `${data.featureNames.length} feature names for ${cols} features`);
  }
  if (data.classNames && data.classNames.length !== classes) {
    throw new KeelError('VALIDATION_FAILED', `${data.classNames.length} class names for ${classes} classes`);
  }
}
