/**
 * The header's emergency stop: always visible, always red. Clicking asks one
 * question (flatten too?) in a modal whose focused choice follows the
 * trader's "flatten by default" setting, then stops. The hotkey skips the
 * question (see useEmergencyHotkey).
 */
import { useRef, useState } from 'react';
import { errorMessage } from '../../api/client';
import { Modal } from '../../components/Modal';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { selectOpenOrders } from '../../stores/selectors';
import { triggerEmergencyStop } from './emergencyActions';
import { displayAccelerator, effectiveFlatten, effectiveHotkey, isMacPlatform } from './hotkey';

export function EmergencyStopButton() {
  const busy = useKeel((s) => s.emergencyBusy);
  const hotkey = useKeel((s) => effectiveHotkey(s.settings, s.hotkey));
  const [open, setOpen] = useState(false);
  const shown = displayAccelerator(hotkey, isMacPlatform(navigator.platform));
  return (
    <>
      <button
        type="button"
        className="btn-emergency"
        aria-label="Emergency stop"
        aria-busy={busy}
        aria-haspopup="dialog"
        title={`Halt trading and cancel every order on every venue (hotkey ${shown}: stops at once, no question)`}
        onClick={() => setOpen(true)}
      >
        <span className="emergency-icon" aria-hidden="true" />
        <span>{busy ? 'Stopping…' : 'Emergency stop'}</span>
        <kbd aria-hidden="true">{shown}</kbd>
      </button>
      <EmergencyStopDialog open={open} onClose={() => setOpen(false)} />
    </>
  );
}

function EmergencyStopDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const { client, store } = useServices();
  const flattenByDefault = useKeel((s) => effectiveFlatten(s.settings));
  const busy = useKeel((s) => s.emergencyBusy);
  const openOrders = useKeel((s) => selectOpenOrders(s).length);
  const positions = useKeel((s) => s.positions.length);
  const [error, setError] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const flattenRef = useRef<HTMLButtonElement>(null);

  async function stop(flatten: boolean): Promise<void> {
    setError(null);
    try {
      // Resolves to null when a stop (from the hotkey) is already in flight; its report will show.
      await triggerEmergencyStop(client, store, flatten, 'button');
      close();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  function close(): void {
    setError(null);
    onClose();
  }

  return (
    <Modal
      open={open}
      title="Emergency stop"
      onClose={close}
      initialFocus={flattenByDefault ? flattenRef : cancelRef}
      className="dialog-emergency"
    >
      <div className="dialog-body">
        <p>
          Sets trading to <b>HALTED</b> and cancels every open order on every venue, protective stops included.
          Flattening also closes every position with reduce-only market orders. While halted you can still close
          positions and place reduce-only orders.
        </p>
        <p className="muted">
          Now: {openOrders} open order{openOrders === 1 ? '' : 's'}, {positions} position{positions === 1 ? '' : 's'}. Only
          an explicit re-arm resumes trading.
        </p>
        {error && (
          <p className="dialog-error" role="alert">
            The emergency stop failed: {error}
          </p>
        )}
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={close} disabled={busy}>
          Back
        </button>
        <button ref={cancelRef} type="button" className="btn btn-danger-outline" onClick={() => void stop(false)} disabled={busy}>
          Cancel all orders
        </button>
        <button ref={flattenRef} type="button" className="btn btn-danger" onClick={() => void stop(true)} disabled={busy}>
          Cancel orders and flatten
        </button>
      </div>
      {busy && (
        <p className="muted dialog-note" role="status">
          Stopping…
        </p>
      )}
    </Modal>
  );
}
