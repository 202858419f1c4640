import { describe, expect, it } from 'vitest';
import { checkParamsBudget } from './paramsBudget';

describe('checkParamsBudget', () => {
  const small = { maxNodes: 50, maxDepth: 4, maxStringChars: 10 };

  it('lets ordinary params through', () => {
    expect(checkParamsBudget(undefined, small)).toBeNull();
    expect(checkParamsBudget({ venue: 'paper', quantity: '0.01', flags: [true, false] }, small)).toBeNull();
  });

  it('stops at the first thing over budget: count, depth, string and key length', () => {
    expect(checkParamsBudget({ topics: new Array(51).fill(0) }, small)).toMatch(/more than 50/);
    expect(checkParamsBudget({ a: { b: { c: { d: { e: 1 } } } } }, small)).toMatch(/deeper than 4/);
    expect(checkParamsBudget({ q: '12345678901' }, small)).toMatch(/longer than 10/);
    expect(checkParamsBudget({ ['k'.repeat(11)]: 1 }, small)).toMatch(/key .* longer than 10/);
  });

  it('refuses a huge list by its length, without visiting its items', () => {
    const topics = new Array(2_000_000).fill('x');
    let visited = 0;
    const spy = new Proxy(topics, { get: (target, key) => (typeof key === 'string' && /^\d+$/.test(key) && (visited += 1), Reflect.get(target, key)) });
    expect(checkParamsBudget({ topics: spy })).toMatch(/list in params has more than/);
    expect(visited).toBe(0);
  });
});
