/**
 * The emergency stop as the window triggers it (button dialog or in-window
 * hotkey). One call in flight at a time; the answer's report is shown at
 * once; a failure is kept in the store and shown as an alert until the next
 * success, because a stop that did not happen must not fade away like a toast.
 */
import type { EmergencyReport } from '../../../shared/risk';
import { errorMessage, type KeelClient } from '../../api/client';
import type { KeelStore } from '../../stores/store';

export async function triggerEmergencyStop(
  client: KeelClient,
  store: KeelStore,
  flatten: boolean,
  trigger: 'button' | 'window-hotkey',
): Promise<EmergencyReport | null> {
  const s = store.getState();
  if (s.emergencyBusy) return null;
  s.setEmergencyBusy(true);
  try {
    const report = await client.invoke('emergency.stop', { flatten, trigger });
    const after = store.getState();
    after.setEmergencyError(null);
    after.showReport(report, true);
    return report;
  } catch (err) {
    store.getState().setEmergencyError(errorMessage(err));
    throw err;
  } finally {
    store.getState().setEmergencyBusy(false);
  }
}
