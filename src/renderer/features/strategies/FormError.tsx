/**
 * An engine refusal shown where the trader acted: the message as the engine
 * words it, with its stable code in small type for a support conversation.
 * The form it sits in keeps everything typed.
 */
import { KeelError } from '../../../shared/errors';
import { errorMessage } from '../../api/client';

export interface ShownError {
  code: string | null;
  message: string;
}

export function toShownError(err: unknown): ShownError {
  return { code: err instanceof KeelError ? err.code : null, message: errorMessage(err) };
}

export function FormError({ error, testId }: { error: ShownError | null; testId?: string }) {
  if (!error) return null;
  return (
    <div className="form-error" role="alert" data-testid={testId}>
      <span className="form-error-message">{error.message}</span>
      {error.code && <span className="form-error-code">{error.code}</span>}
    </div>
  );
}
