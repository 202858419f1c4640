import { describe, expect, it } from 'vitest';
import { MAX_DISTINCT_WARNINGS, RunWarnings } from './runWarnings';

describe('RunWarnings', () => {
  it('keeps each distinct message once, in the order first seen, with how often it came', () => {
    const warnings = new RunWarnings();
    for (const message of ['b refused', 'a not sent', 'b refused', 'b refused', 'a not sent']) warnings.add(message);
    expect(warnings.list()).toEqual([
      { message: 'b refused', count: 3 },
      { message: 'a not sent', count: 2 },
    ]);
    expect(new RunWarnings().list()).toEqual([]);
  });

  it('counts the messages past its limit of kinds on one line of their own, and still counts the kinds it keeps', () => {
    const warnings = new RunWarnings();
    for (let i = 0; i < MAX_DISTINCT_WARNINGS + 5; i++) warnings.add(`refused ${i}`);
    warnings.add('refused 0');
    warnings.add(`refused ${MAX_DISTINCT_WARNINGS + 1}`);
    const list = warnings.list();
    expect(list).toHaveLength(MAX_DISTINCT_WARNINGS + 1);
    expect(list[0]).toEqual({ message: 'refused 0', count: 2 });
    expect(list.at(-1)).toEqual({ message: `Other warnings, beyond the first ${MAX_DISTINCT_WARNINGS} kinds`, count: 6 });
  });
});
