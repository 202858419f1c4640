/**
 * How many monitor thresholds are crossed now, for the Monitor tab's badge:
 * read from each `system.metrics` event (one every few seconds), so the
 * trader sees trouble from any view without the Monitor view being open.
 * Unknown (null) until the first sample arrives.
 */
import { useEffect, useState } from 'react';
import type { Breach } from '../../../shared/contract/monitor';
import { useServices } from '../../stores/KeelProvider';

export function useMonitorBreaches(): Breach[] | null {
  const { client } = useServices();
  const [breaches, setBreaches] = useState<Breach[] | null>(null);
  useEffect(
    () =>
      client.onEvent((event) => {
        if (event.topic === 'system.metrics') setBreaches((previous) => (sameKeys(previous, event.data.breaches) ? previous : event.data.breaches));
      }),
    [client],
  );
  return breaches;
}

/** Same breaches (by key) as before: the badge need not render again. */
function sameKeys(a: readonly Breach[] | null, b: readonly Breach[]): boolean {
  return a !== null && a.length === b.length && a.every((x, i) => x.key === b[i]!.key);
}
