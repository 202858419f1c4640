/**
 * One engine call from a settings section: busy while it runs, and the
 * engine's error (its KeelError message, shown as it says it) kept for the
 * section to show. The caught error itself is answered too, so a caller can
 * branch on its code (a typed confirmation asked for).
 */
import { useCallback, useState } from 'react';
import { errorMessage } from '../../../api/client';
import { KeelError } from '../../../../shared/errors';

/** A failure as the section shows it: the engine's code (when it gave one) and its message. */
export interface ActionError {
  code: string | null;
  message: string;
}

export interface Action {
  busy: boolean;
  error: ActionError | null;
  /** Runs `call`; answers its error (also kept in `error`), or null when it succeeded. */
  run(call: () => Promise<void>): Promise<unknown>;
  clear(): void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ActionError | null>(null);
  const run = useCallback(async (call: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await call();
      return null;
    } catch (err) {
      setError({ code: err instanceof KeelError ? err.code : null, message: errorMessage(err) });
      return err;
    } finally {
      setBusy(false);
    }
  }, []);
  const clear = useCallback(() => setError(null), []);
  return { busy, error, run, clear };
}
