/**
 * A small button that copies an identifier (order, client, venue or trade id)
 * and says, on the button itself, that it did or why it could not: it is used
 * inside dialogs, where a toast would sit under the backdrop.
 */
import { useEffect, useState } from 'react';
import { errorText } from '../../shared/errors';

interface Props {
  value: string;
  /** What is copied, for the accessible name: "Copy order id". */
  label: string;
}

type State = { kind: 'idle' } | { kind: 'copied' } | { kind: 'failed'; why: string };

const SHOWN_MS = 1_500;

export function CopyButton({ value, label }: Props) {
  const [state, setState] = useState<State>({ kind: 'idle' });

  useEffect(() => {
    if (state.kind === 'idle') return;
    const t = setTimeout(() => setState({ kind: 'idle' }), state.kind === 'copied' ? SHOWN_MS : SHOWN_MS * 3);
    return () => clearTimeout(t);
  }, [state]);

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(value);
      setState({ kind: 'copied' });
    } catch (err) {
      setState({ kind: 'failed', why: errorText(err) });
    }
  }

  const title = state.kind === 'copied' ? 'Copied' : state.kind === 'failed' ? `Could not copy: ${state.why}` : `Copy ${label}`;
  return (
    <button type="button" className={`btn-copy is-${state.kind}`} aria-label={`Copy ${label}`} title={title} onClick={() => void copy()}>
      <svg width="11" height="11" viewBox="0 0 16 16" aria-hidden="true">
        {state.kind === 'copied' ? (
          <path d="M3 8.5l3 3 7-7" fill="none" stroke="currentColor" strokeWidth="2" />
        ) : state.kind === 'failed' ? (
          <path d="M8 2v8M8 12.5v1.5" fill="none" stroke="currentColor" strokeWidth="2" />
        ) : (
          <>
            <rect x="5" y="5" width="9" height="9" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
            <path d="M11 3.5V3a1 1 0 0 0-1-1H3a1 1 0 0 0-1 1v7a1 1 0 0 0 1 1h.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
          </>
        )}
      </svg>
      <span className="sr-only" aria-live="polite">
        {state.kind === 'copied' ? 'Copied' : state.kind === 'failed' ? 'Could not copy' : ''}
      </span>
    </button>
  );
}
