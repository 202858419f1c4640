import { describe, expect, it } from 'vitest';
import { STRATEGY_STATUSES, type StrategyStatus } from '../../../shared/contract';
import { STRATEGY_ACTIONS, actionAriaLabel, canAct, canEdit, instanceTitle, needsConfirm, statusText, type StrategyAction } from './strategyActions';

/** The whole table, written out: each action's enabled statuses. */
const EXPECTED: Record<StrategyAction, StrategyStatus[]> = {
  start: ['stopped', 'error'],
  pause: ['running'],
  resume: ['paused'],
  stop: ['starting', 'running', 'paused', 'error'],
  flatten: ['starting', 'running', 'paused', 'error'],
  delete: ['stopped', 'error'],
};

describe('canAct', () => {
  for (const action of STRATEGY_ACTIONS) {
    for (const status of STRATEGY_STATUSES) {
      const allowed = EXPECTED[action].includes(status);
      it(`${action} is ${allowed ? 'enabled' : 'disabled'} when ${status}`, () => {
        expect(canAct(action, status)).toBe(allowed);
      });
    }
  }

  it('leaves a running instance no way to be deleted or started twice', () => {
    expect(STRATEGY_ACTIONS.filter((a) => canAct(a, 'running'))).toEqual(['pause', 'stop', 'flatten']);
  });

  it('lets every status but stopped be stopped', () => {
    expect(STRATEGY_STATUSES.filter((s) => canAct('stop', s))).toEqual(STRATEGY_STATUSES.filter((s) => s !== 'stopped'));
  });
});

describe('canEdit / needsConfirm', () => {
  it('edits only what does not trade', () => {
    expect(STRATEGY_STATUSES.filter(canEdit)).toEqual(['stopped', 'error']);
  });

  it('asks before the actions that cannot be taken back', () => {
    expect(STRATEGY_ACTIONS.filter(needsConfirm)).toEqual(['flatten', 'delete']);
  });
});

describe('names', () => {
  it('names the instance on each button, adding the symbol when the name lacks it', () => {
    expect(actionAriaLabel('stop', { name: 'SMA cross', symbol: 'BTC/USDT:USDT' })).toBe('Stop SMA cross BTC/USDT:USDT');
    expect(actionAriaLabel('flatten', { name: 'SMA cross BTC/USDT:USDT', symbol: 'BTC/USDT:USDT' })).toBe('Stop & flatten SMA cross BTC/USDT:USDT');
    expect(instanceTitle({ name: 'Mean reversion', symbol: 'ETH/USDT' })).toBe('Mean reversion ETH/USDT');
  });

  it('says why when Keel gave a reason', () => {
    expect(statusText({ status: 'error', statusReason: 'Daily loss limit reached' })).toBe('Error: Daily loss limit reached');
    expect(statusText({ status: 'running', statusReason: null })).toBe('Running');
  });
});
