/**
 * A venue's audit trail of reconciliation decisions, newest first. It is
 * asked again whenever the venue's report changes (a decision taken here,
 * in another window or by a later reconciliation) and after a reconnect;
 * an answer for a venue no longer shown is dropped.
 */
import { useEffect, useState } from 'react';
import type { ReconciliationAuditEntry } from '../../../shared/contract';
import { errorMessage } from '../../api/client';
import { useClient, useKeel } from '../../stores/KeelProvider';

/** Enough decisions for a session; older ones stay in the journal. */
export const AUDIT_LIMIT = 100;

export interface AuditState {
  entries: ReconciliationAuditEntry[];
  loaded: boolean;
  error: string | null;
}

const EMPTY: AuditState = { entries: [], loaded: false, error: null };

export function useReconciliationAudit(venue: string | null): AuditState {
  const client = useClient();
  const report = useKeel((s) => (venue ? s.reconciliations[venue] : undefined));
  const epoch = useKeel((s) => s.syncEpoch);
  const [state, setState] = useState<AuditState & { venue: string | null }>({ ...EMPTY, venue });

  useEffect(() => {
    if (!venue) return;
    let current = true;
    client.invoke('reconciliation.audit', { venue, limit: AUDIT_LIMIT }).then(
      (r) => current && setState({ entries: r.entries, loaded: true, error: null, venue }),
      (err: unknown) => current && setState((prev) => ({ ...(prev.venue === venue ? prev : EMPTY), loaded: true, error: errorMessage(err), venue })),
    );
    return () => {
      current = false;
    };
  }, [client, venue, report, epoch]);

  // Until the new venue's trail answers, show nothing rather than the previous venue's.
  return state.venue === venue ? state : EMPTY;
}
