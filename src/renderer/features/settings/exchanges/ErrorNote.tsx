/**
 * An engine refusal in Settings → Exchanges: its message exactly as the
 * engine wrote it, under a heading when the code calls for one (a keychain
 * that cannot be used is not a typing mistake, and must not read like one).
 */
import type { ActionError } from './useAction';

const HEADINGS: Partial<Record<string, string>> = {
  KEYCHAIN_UNAVAILABLE: 'The OS keychain cannot be used',
  VENUE_UNAVAILABLE: 'The exchange could not be reached',
};

export function ErrorNote({ error }: { error: ActionError | null }) {
  if (!error) return null;
  const heading = error.code ? HEADINGS[error.code] : undefined;
  return (
    <div className={`exch-error ${error.code === 'KEYCHAIN_UNAVAILABLE' ? 'exch-error-keychain' : ''}`} role="alert">
      {heading && <strong>{heading}: </strong>}
      {error.message}
    </div>
  );
}
