import { describe, expect, it } from 'vitest';
import { holdInert } from './inertBackground';

describe('the app behind modals', () => {
  it('stays inert until the last open modal lets go, each release counting once', () => {
    const root = { inert: false } as HTMLElement;
    const first = holdInert(root);
    const second = holdInert(root);
    expect(root.inert).toBe(true);
    first();
    first();
    expect(root.inert).toBe(true);
    second();
    expect(root.inert).toBe(false);
  });

  it('does nothing without a root', () => {
    expect(() => holdInert(null)()).not.toThrow();
  });
});
