/**
 * Fetches the full result of finished runs the view needs (the one on screen,
 * the ones compared) once each, and again when a run's status moves on
 * (a copy fetched while it was running is superseded). Results are kept in
 * the store, so switching runs back and forth does not fetch again.
 */
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../api/client';
import { isFinished } from '../../stores/backtests';
import { useKeel, useServices } from '../../stores/KeelProvider';

export function useBacktestResults(ids: readonly string[]): Record<string, string> {
  const { client, store } = useServices();
  const backtests = useKeel((s) => s.backtests);
  const results = useKeel((s) => s.backtestResults);
  const inFlight = useRef(new Set<string>());
  const [errors, setErrors] = useState<Record<string, string>>({});

  const wanted = ids
    .map((id) => backtests.find((b) => b.id === id))
    .filter((b) => b !== undefined && isFinished(b.status) && results[b.id]?.status !== b.status)
    .map((b) => `${b!.id}:${b!.status}`)
    .join(',');

  useEffect(() => {
    if (!wanted) return;
    for (const key of wanted.split(',')) {
      if (inFlight.current.has(key)) continue;
      inFlight.current.add(key);
      const id = key.slice(0, key.lastIndexOf(':'));
      client.invoke('backtests.get', { id }).then(
        (result) => {
          inFlight.current.delete(key);
          store.getState().setBacktestResult(result);
          setErrors((e) => {
            if (!(id in e)) return e;
            const next = { ...e };
            delete next[id];
            return next;
          });
        },
        (err: unknown) => {
          inFlight.current.delete(key);
          setErrors((e) => ({ ...e, [id]: errorMessage(err) }));
        },
      );
    }
  }, [client, store, wanted]);

  return errors;
}
