/**
 * The slice of the engine the desktop shell's emergency controls (global
 * hotkey, tray, Trading menu) need, and the one routine they all use to fire
 * the emergency stop. The shell depends on this narrow port rather than on the
 * Engine class, so its tests drive a fake engine.
 */
import type { EventPayload, EventTopic } from '../../shared/contract';
import { DEFAULT_SETTINGS, type EmergencyReport, type HotkeyStatus, type Settings } from '../../shared/risk';

/** Same shape as the engine bus's listener: one generic function over every contract topic. */
export type TopicListener = <T extends EventTopic>(topic: T, payload: EventPayload<T>) => void;

export interface EmergencyControl {
  /** Idempotent; reports venue trouble in the report instead of rejecting. */
  emergencyStop(options: { flatten: boolean; trigger: string }): Promise<EmergencyReport>;
  settings(): Settings;
  /** Publishes 'hotkey.status', from which the renderer shows (or clears) its banner. */
  setHotkeyStatus(status: HotkeyStatus): void;
  readonly bus: { subscribe(listener: TopicListener): () => void };
}

/** The stops the shell fires, and tells by a notice of its own once they report (emergencyNotice.ts). */
export const SHELL_EMERGENCY_TRIGGERS = ['hotkey', 'tray', 'menu'] as const;
export type EmergencyTrigger = (typeof SHELL_EMERGENCY_TRIGGERS)[number];

/** Whether the shell has told a stop that reported with `trigger` itself: the alert of it then shows no second desktop notice. */
export function shownByShell(trigger: string): boolean {
  return (SHELL_EMERGENCY_TRIGGERS as readonly string[]).includes(trigger);
}

export interface EmergencyOutcomeHandlers {
  onReport?: (report: EmergencyReport) => void;
  onFailure?: (error: unknown) => void;
  log?: (message: string, error?: unknown) => void;
}

const defaultLog = (message: string, error?: unknown): void => console.error(`[keel:emergency] ${message}`, error ?? '');

/**
 * Calls `emergencyStop` synchronously, before anything is awaited: the stop
 * must start in the same tick as the key press or click, whatever state the
 * renderer or the event loop's queue is in. The outcome is handed on
 * afterwards, and a rejection is logged and reported, never left unhandled.
 */
export function fireEmergencyStop(
  control: EmergencyControl,
  options: { flatten: boolean; trigger: EmergencyTrigger },
  handlers: EmergencyOutcomeHandlers = {},
): Promise<EmergencyReport | null> {
  const log = handlers.log ?? defaultLog;
  let pending: Promise<EmergencyReport>;
  try {
    pending = control.emergencyStop({ flatten: options.flatten, trigger: options.trigger });
  } catch (error) {
    pending = Promise.reject(error);
  }
  return pending.then(
    (report) => {
      safely(() => handlers.onReport?.(report), log);
      return report;
    },
    (error: unknown) => {
      log(`emergency stop (${options.trigger}) failed`, error);
      safely(() => handlers.onFailure?.(error), log);
      return null;
    },
  );
}

/**
 * What the hotkey does by default, read at press time so a settings change
 * applies at once. Should reading settings ever fail, the stop still runs,
 * cancel-only: the product's default, and the action that never opens a trade.
 */
export function flattenByDefault(control: EmergencyControl, log: (message: string, error?: unknown) => void = defaultLog): boolean {
  try {
    return control.settings().emergencyFlattenByDefault;
  } catch (error) {
    log('could not read settings; emergency stop falls back to cancel-only', error);
    return DEFAULT_SETTINGS.emergencyFlattenByDefault;
  }
}

/** Calls `listener` with the new settings each time they change. */
export function onSettingsUpdated(control: EmergencyControl, listener: (settings: Settings) => void): () => void {
  return control.bus.subscribe((topic, payload) => {
    if (topic === 'settings.updated') listener(payload as EventPayload<'settings.updated'>);
  });
}

function safely(fn: () => void, log: (message: string, error?: unknown) => void): void {
  try {
    fn();
  } catch (error) {
    log('reporting the emergency stop outcome failed', error);
  }
}
