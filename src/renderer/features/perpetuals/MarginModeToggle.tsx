/**
 * Cross or isolated margin for the ticket's perpetual. The engine takes the
 * change only while the instrument has no position and no open orders, and
 * says why otherwise; the refusal goes to the ticket's message line.
 */
import type { Instrument } from '../../../shared/domain';
import { errorMessage } from '../../api/client';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { selectAccount } from '../../stores/selectors';
import { marginModeLabel } from './perpetualFormat';
import './perpetuals.css';

const MODES = ['cross', 'isolated'] as const;

export function MarginModeToggle({ inst, onError }: { inst: Instrument | undefined; onError: (message: string | null) => void }) {
  const { client } = useServices();
  const mode = useKeel((s) => (inst ? selectAccount(s)?.marginModes?.[inst.symbol] : undefined)) ?? 'cross';
  if (!inst || inst.kind !== 'linear_perpetual') return null;
  const { venue, symbol } = inst;

  async function choose(next: (typeof MODES)[number]): Promise<void> {
    if (next === mode) return;
    try {
      await client.invoke('account.setMarginMode', { venue, symbol, mode: next });
      onError(null);
    } catch (err) {
      onError(errorMessage(err));
    }
  }

  return (
    <div className="margin-mode" role="group" aria-label="Margin mode">
      <span className="margin-mode-label">Margin</span>
      {MODES.map((m) => (
        <button key={m} type="button" aria-pressed={mode === m} onClick={() => void choose(m)}>
          {marginModeLabel(m)}
        </button>
      ))}
    </div>
  );
}
