/**
 * Tests a venue's connection now: each step the engine ran (key, clock and
 * latency, markets, balance, key permissions) with its outcome and detail,
 * the round trip and how far the exchange's clock is from ours. A step that
 * failed without failing the test (permissions the exchange would not
 * report) is shown as a warning.
 */
import { useState } from 'react';
import type { ConnectionTest } from '../../../../shared/contract';
import { useServices } from '../../../stores/KeelProvider';
import { ErrorNote } from './ErrorNote';
import { stepOutcome, timingText, type StepOutcome } from './exchangeForms';

const STEP_MARK: Record<StepOutcome, string> = { ok: '✓', failed: '✗', warning: '!' };
import { useAction } from './useAction';

export function ConnectionTestSection({ venue }: { venue: string }) {
  const { client } = useServices();
  const [result, setResult] = useState<ConnectionTest | null>(null);
  const action = useAction();

  async function test(): Promise<void> {
    setResult(null);
    await action.run(async () => setResult(await client.invoke('venues.test', { venue })));
  }

  const timing = result ? timingText(result) : null;
  return (
    <section className="exch-section" aria-label="Connection test">
      <div className="exch-section-head">
        <h4>Connection</h4>
        <button type="button" className="btn" onClick={() => void test()} disabled={action.busy}>
          {action.busy ? 'Testing…' : 'Test connection'}
        </button>
      </div>
      <ErrorNote error={action.error} />
      {result && (
        <div className="conn-test" role="status">
          <p className={result.ok ? 'conn-test-verdict ok' : 'conn-test-verdict fail'}>
            {result.ok ? 'Connection works' : 'Connection test failed'}
            {timing && <span className="muted"> · {timing}</span>}
          </p>
          <ol className="conn-steps" aria-label="Connection test steps">
            {result.steps.map((step, i) => {
              const outcome = stepOutcome(step, result);
              return (
                <li key={`${i}-${step.name}`} className={`step-${outcome}`}>
                  <span className="step-mark" aria-hidden="true">
                    {STEP_MARK[outcome]}
                  </span>
                  <span className="step-name">{step.name}</span>
                  <span className="step-outcome">{outcome}</span>
                  <span className="step-detail">{step.detail}</span>
                </li>
              );
            })}
          </ol>
        </div>
      )}
    </section>
  );
}
