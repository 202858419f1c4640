/**
 * What a trader may do to a strategy instance in each status, and how each
 * action's button is named for assistive technology ("Stop SMA cross
 * BTC/USDT"). The rules mirror the engine's: start from stopped or error,
 * pause a running one, resume a paused one, stop anything that is (or may
 * be) working, delete or edit only what is stopped.
 */
import type { StrategyInstance, StrategyStatus } from '../../../shared/contract';

export const STRATEGY_ACTIONS = ['start', 'pause', 'resume', 'stop', 'flatten', 'delete'] as const;
export type StrategyAction = (typeof STRATEGY_ACTIONS)[number];

const STOPPABLE: readonly StrategyStatus[] = ['running', 'paused', 'starting', 'error'];

const ALLOWED: Record<StrategyAction, readonly StrategyStatus[]> = {
  start: ['stopped', 'error'],
  pause: ['running'],
  resume: ['paused'],
  stop: STOPPABLE,
  flatten: STOPPABLE,
  delete: ['stopped', 'error'],
};

export const ACTION_LABEL: Record<StrategyAction, string> = {
  start: 'Start',
  pause: 'Pause',
  resume: 'Resume',
  stop: 'Stop',
  flatten: 'Stop & flatten',
  delete: 'Delete',
};

export const ACTION_HINT: Record<StrategyAction, string> = {
  start: 'Start trading (after its warm-up bars)',
  pause: 'Keep its position and resting orders; place nothing new until resumed',
  resume: 'Resume placing orders',
  stop: 'Cancel its own open orders and stop; its position stays',
  flatten: 'Cancel its own open orders, close its own position at market, and stop',
  delete: 'Delete the instance; its orders and fills stay in the books',
};

export function canAct(action: StrategyAction, status: StrategyStatus): boolean {
  return ALLOWED[action].includes(status);
}

/** Parameters, name, limits and the restart switch change only while it does not trade. */
export function canEdit(status: StrategyStatus): boolean {
  return status === 'stopped' || status === 'error';
}

/** Actions that cannot be taken back ask first. */
export function needsConfirm(action: StrategyAction): boolean {
  return action === 'flatten' || action === 'delete';
}

/** How the instance is named on buttons: its name, with the symbol when the name does not already say it. */
export function instanceTitle(s: Pick<StrategyInstance, 'name' | 'symbol'>): string {
  return s.name.includes(s.symbol) ? s.name : `${s.name} ${s.symbol}`;
}

export function actionAriaLabel(action: StrategyAction, s: Pick<StrategyInstance, 'name' | 'symbol'>): string {
  return `${ACTION_LABEL[action]} ${instanceTitle(s)}`;
}

export const STATUS_LABEL: Record<StrategyStatus, string> = {
  stopped: 'Stopped',
  starting: 'Starting',
  running: 'Running',
  paused: 'Paused',
  error: 'Error',
};

/** What the row's status says, with the reason Keel gave when it stopped it or it failed. */
export function statusText(s: Pick<StrategyInstance, 'status' | 'statusReason'>): string {
  return s.statusReason ? `${STATUS_LABEL[s.status]}: ${s.statusReason}` : STATUS_LABEL[s.status];
}
