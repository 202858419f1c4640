/**
 * Asks the host for something every `intervalMs` while mounted and connected,
 * the next ask only after the previous answer (a slow host is never flooded).
 * The answer is kept with the key it was asked for, so a late answer for the
 * previous instrument is never shown for the new one.
 */
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/client';
import { useKeel } from '../../stores/KeelProvider';

export interface Polled<T> {
  value: T | null;
  error: string | null;
}

export function usePoll<T>(key: string | null, ask: (() => Promise<T>) | null, intervalMs: number): Polled<T> {
  const connected = useKeel((s) => s.connection.state === 'open');
  const [state, setState] = useState<{ key: string; value: T | null; error: string | null } | null>(null);

  useEffect(() => {
    if (!key || !ask || !connected) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const poll = async () => {
      try {
        const value = await ask();
        if (!stopped) setState({ key, value, error: null });
      } catch (err) {
        if (!stopped) setState((s) => ({ key, value: s?.key === key ? s.value : null, error: errorMessage(err) }));
      }
      if (!stopped) timer = setTimeout(() => void poll(), intervalMs);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
    // `ask` is rebuilt each render; the key says when it asks for something else.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, connected, intervalMs]);

  return state && state.key === key ? { value: state.value, error: state.error } : { value: null, error: null };
}
