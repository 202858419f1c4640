/**
 * The last line of defence of a process that watches live orders: an
 * exception nobody caught, or a promise rejection nobody handled, is logged
 * and the process keeps running, so the engine, the risk monitors and the
 * emergency stop keep working. Every known path already answers its errors;
 * this only catches what slipped through, and says so loudly in the log.
 */
import { describeThrown } from '../../shared/errors';

type Listener = (reason: unknown) => void;

/** The part of `process` the guard uses; tests hand in an EventEmitter. */
export interface GuardedProcess {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: Listener): unknown;
  off(event: 'uncaughtException' | 'unhandledRejection', listener: Listener): unknown;
}

export interface ProcessGuardOptions {
  log: (message: string) => void;
  /** Defaults to the real `process`. */
  target?: GuardedProcess;
  /** A logged error is cut to this many characters, so a hostile value cannot flood the log. */
  maxLength?: number;
  /** Told of each caught error after it is logged (Keel fails closed when it is the journal failing). */
  onError?: (error: unknown) => void;
}

const DEFAULT_MAX_LENGTH = 4000;

/** Marks a guarded target, so a second install (an entry loaded twice) adds no second pair of listeners. */
const INSTALLED = Symbol.for('keel.processGuard');

/** Installs the guard; the returned function removes it again. */
export function installProcessGuard(options: ProcessGuardOptions): () => void {
  const target = options.target ?? (process as GuardedProcess);
  const marked = target as unknown as { [INSTALLED]?: () => void };
  const installed = marked[INSTALLED];
  if (installed) return installed;
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const report = (what: string) => (reason: unknown) => {
    const text = `[keel] ${what}; the process keeps running: ${describeThrown(reason)}`;
    try {
      options.log(text.length > maxLength ? `${text.slice(0, maxLength)}… (${text.length - maxLength} more characters)` : text);
    } catch {
      // A failing logger must not turn the guard itself into a crash.
    }
    try {
      options.onError?.(reason);
    } catch {
      // Nor a failing handler.
    }
  };
  const onException = report('uncaught exception');
  const onRejection = report('unhandled promise rejection');
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  const uninstall = () => {
    target.off('uncaughtException', onException);
    target.off('unhandledRejection', onRejection);
    if (marked[INSTALLED] === uninstall) delete marked[INSTALLED];
  };
  marked[INSTALLED] = uninstall;
  return uninstall;
}
