/**
 * The system monitor's figures for the Monitor view: read with
 * `system.metrics` when the view is first shown (and after each reconnect),
 * then extended with every `system.metrics` event the engine publishes (one
 * every few seconds), the oldest samples dropping off after an hour. Kept
 * here rather than in the store: only the Monitor view needs it.
 */
import { useCallback, useEffect, useState } from 'react';
import type { SystemMetrics } from '../../../shared/contract/monitor';
import { appendSample } from '../../../shared/monitorSeries';
import { errorMessage } from '../../api/client';
import { useKeel, useServices } from '../../stores/KeelProvider';

export const HISTORY_SPAN_MS = 60 * 60_000;

export interface SystemMetricsState {
  metrics: SystemMetrics | null;
  error: string | null;
  reload(): void;
}

export function useSystemMetrics(): SystemMetricsState {
  const { client } = useServices();
  const epoch = useKeel((s) => s.syncEpoch);
  const [metrics, setMetrics] = useState<SystemMetrics | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reads, setReads] = useState(0);

  useEffect(() => {
    let live = true;
    client.invoke('system.metrics', {}).then(
      (answer) => {
        if (!live) return;
        setMetrics(answer);
        setError(null);
      },
      (err: unknown) => live && setError(errorMessage(err)),
    );
    const off = client.onEvent((event) => {
      if (event.topic !== 'system.metrics') return;
      const sample = event.data;
      setMetrics((m) => (m ? { ...m, sample: sample.at > m.sample.at ? sample : m.sample, history: appendSample(m.history, sample, HISTORY_SPAN_MS) } : m));
    });
    return () => {
      live = false;
      off();
    };
  }, [client, epoch, reads]);

  const reload = useCallback(() => setReads((n) => n + 1), []);
  return { metrics, error, reload };
}
