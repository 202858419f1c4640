/**
 * A fake of the engine surface the shell's emergency controls use
 * (EmergencyControl), on the engine's real EventBus so settings.updated is
 * delivered the way the engine delivers it. `emergencyStop` records whether it
 * was called while a test marked itself as "inside the OS callback", which is
 * how the tests prove the call is synchronous.
 */
import { vi } from 'vitest';
import { EventBus } from '../../src/main/engine/bus';
import type { EmergencyControl } from '../../src/main/shell/emergencyControl';
import { DEFAULT_SETTINGS, type EmergencyReport, type HotkeyStatus, type Settings } from '../../src/shared/risk';

export function emergencyReport(overrides: Partial<EmergencyReport> = {}): EmergencyReport {
  return {
    id: 'em-1',
    trigger: 'hotkey',
    flatten: false,
    startedAt: 1_000,
    haltedAt: 1_001,
    cancelsConfirmedAt: 1_050,
    flatAt: null,
    finishedAt: 1_060,
    ordersCanceled: 3,
    positionsClosed: 0,
    unconfirmed: [],
    complete: true,
    ...overrides,
  };
}

export interface FakeEngine extends EmergencyControl {
  readonly bus: EventBus;
  readonly emergencyStop: ReturnType<typeof vi.fn<EmergencyControl['emergencyStop']>>;
  readonly setHotkeyStatus: ReturnType<typeof vi.fn<(status: HotkeyStatus) => void>>;
  readonly settings: ReturnType<typeof vi.fn<() => Settings>>;
  /** Whether each emergencyStop call happened while `within` was running. */
  readonly calledWithin: boolean[];
  /** Runs `fn` (e.g. pressing the hotkey) marked as "inside the callback". */
  within(fn: () => void): void;
  /** Changes the settings and publishes settings.updated, as settings.set does. */
  updateSettings(patch: Partial<Settings>): void;
  lastStatus(): HotkeyStatus | undefined;
}

export function fakeEngine(initial: Partial<Settings> = {}, report: EmergencyReport = emergencyReport()): FakeEngine {
  let current: Settings = { ...DEFAULT_SETTINGS, ...initial };
  let inside = false;
  const calledWithin: boolean[] = [];
  const bus = new EventBus();
  const setHotkeyStatus = vi.fn<(status: HotkeyStatus) => void>();
  return {
    bus,
    calledWithin,
    setHotkeyStatus,
    settings: vi.fn(() => current),
    emergencyStop: vi.fn<EmergencyControl['emergencyStop']>((options) => {
      calledWithin.push(inside);
      return Promise.resolve({ ...report, flatten: options.flatten, trigger: options.trigger });
    }),
    within: (fn) => {
      inside = true;
      try {
        fn();
      } finally {
        inside = false;
      }
    },
    updateSettings: (patch) => {
      current = { ...current, ...patch };
      bus.publish('settings.updated', current);
    },
    lastStatus: () => setHotkeyStatus.mock.calls.at(-1)?.[0],
  };
}

/** Lets queued promise callbacks (the post-stop notification) run. */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
