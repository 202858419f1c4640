/**
 * Re-arming is the one way out of HALTED (and back from REDUCING), so it is
 * asked for explicitly, with what is still open and why trading stopped in
 * front of the trader; the safe choice has focus.
 */
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { fmtTime } from '../../lib/format';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { selectOpenOrders } from '../../stores/selectors';
import { isIncomplete } from '../emergency/EmergencyReportDialog';

export function RearmButton({ className }: { className?: string }) {
  const { client, store } = useServices();
  const risk = useKeel((s) => s.riskState);
  const openOrders = useKeel((s) => selectOpenOrders(s).length);
  const positions = useKeel((s) => s.positions.length);
  const report = useKeel((s) => s.lastReport);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const halted = risk?.state === 'HALTED';

  async function rearm(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const state = await client.invoke('emergency.rearm', { confirm: true });
      store.getState().setRiskState(state);
      setOpen(false);
      store.getState().notify('success', `Trading re-armed: ${state.state}`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const unconfirmed = report && isIncomplete(report) && risk && report.startedAt >= risk.since - 60_000;
  return (
    <>
      <button
        type="button"
        className={className ?? 'btn'}
        onClick={() => {
          setError(null);
          setOpen(true);
        }}
      >
        Re-arm trading
      </button>
      <ConfirmDialog
        open={open}
        title="Re-arm trading?"
        confirmLabel="Re-arm"
        cancelLabel={halted ? 'Keep halted' : 'Keep reducing'}
        busy={busy}
        onCancel={() => setOpen(false)}
        onConfirm={() => void rearm()}
      >
        <p>
          Trading goes back to <b>ACTIVE</b>: orders from you and from the automation API are accepted again, within the risk limits.
        </p>
        {risk && (
          <p>
            {halted ? 'Halted' : 'Reducing'} since {fmtTime(risk.since)}
            {risk.reason ? `: ${risk.reason}` : ''}.
          </p>
        )}
        <p className="muted">
          Still open: {openOrders} order{openOrders === 1 ? '' : 's'}, {positions} position{positions === 1 ? '' : 's'}.
        </p>
        {unconfirmed && (
          <p className="dialog-warn">
            The last emergency stop left {report.unconfirmed.length || 'some'} action
            {report.unconfirmed.length === 1 ? '' : 's'} unconfirmed. Check the venues first.
          </p>
        )}
        {error && (
          <p className="dialog-error" role="alert">
            {error}
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}
