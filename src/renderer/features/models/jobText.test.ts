import { describe, expect, it } from 'vitest';
import { jobPercent, jobProgressText, jobStatusLabel } from './jobText';

describe('job progress in words', () => {
  it('never reads 100% before the job is done', () => {
    expect(jobPercent({ done: 4.999, total: 5, status: 'running' })).toBe(99);
    expect(jobPercent({ done: 5, total: 5, status: 'done' })).toBe(100);
    expect(jobPercent({ done: 1.447, total: 5, status: 'cancelled' })).toBe(28);
  });

  it('says what it is doing, with the percent once the total is known', () => {
    expect(jobProgressText({ done: 1.5, total: 5, status: 'running', message: 'fold 2 of 4' })).toBe('fold 2 of 4 · 30%');
    expect(jobProgressText({ done: 0, total: 0, status: 'running', message: 'loading data' })).toBe('loading data');
  });

  it('calls a running importance job measuring, a running training training', () => {
    expect(jobStatusLabel({ kind: 'importance', status: 'running' })).toBe('Measuring');
    expect(jobStatusLabel({ kind: 'train', status: 'running' })).toBe('Training');
    expect(jobStatusLabel({ kind: 'importance', status: 'done' })).toBe('Done');
  });
});
