/**
 * Stores a venue's API key. The fields are password fields the form does not
 * mirror in React state or the store: their text is read once on submit,
 * the fields are emptied as it is sent, and nothing of it is shown again.
 * If the engine answers that the key can withdraw, the values are held (in
 * a ref, nowhere else) only while the trader decides in the typed
 * confirmation, then dropped either way.
 */
import { useEffect, useId, useRef, useState, type RefObject } from 'react';
import { TypedConfirmDialog } from '../../../components/TypedConfirmDialog';
import { useServices } from '../../../stores/KeelProvider';
import { ErrorNote } from './ErrorNote';
import { checkKeyDraft, confirmationAsked, confirms, type ConfirmationAsked, type KeyField } from './exchangeForms';
import { useAction } from './useAction';

type KeyValues = { apiKey: string; secret: string; passphrase?: string };

export function KeyForm({ venue, needsPassphrase, replacing }: { venue: string; needsPassphrase: boolean; replacing: boolean }) {
  const { client, store } = useServices();
  const ids = useId();
  const apiKeyRef = useRef<HTMLInputElement>(null);
  const secretRef = useRef<HTMLInputElement>(null);
  const passphraseRef = useRef<HTMLInputElement>(null);
  const pending = useRef<KeyValues | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<KeyField, string>>>({});
  const [confirmation, setConfirmation] = useState<ConfirmationAsked | null>(null);
  const action = useAction();
  const confirmAction = useAction();

  // Whatever happens, the values do not outlive the form.
  useEffect(() => () => void (pending.current = null), []);

  function clearFields(): void {
    for (const ref of [apiKeyRef, secretRef, passphraseRef]) if (ref.current) ref.current.value = '';
  }

  async function send(values: KeyValues, allowWithdrawals?: string): Promise<void> {
    const status = await client.invoke('credentials.set', { venue, ...values, ...(allowWithdrawals ? { allowWithdrawals } : {}) });
    store.getState().setCredentialStatus(status);
    store.getState().notify('success', `API key ${status.lastFour ? `…${status.lastFour} ` : ''}stored for ${venue}.`);
  }

  async function submit(): Promise<void> {
    if (action.busy) return;
    const check = checkKeyDraft(
      { apiKey: apiKeyRef.current?.value ?? '', secret: secretRef.current?.value ?? '', passphrase: passphraseRef.current?.value ?? '' },
      needsPassphrase,
    );
    if (!check.ok) {
      setFieldErrors(check.errors);
      return;
    }
    setFieldErrors({});
    const values = check.values;
    clearFields();
    const error = await action.run(() => send(values));
    const asked = confirmationAsked(error, venue);
    if (asked) {
      action.clear();
      pending.current = values;
      setConfirmation(asked);
    }
  }

  async function confirmWithdrawals(typed: string): Promise<void> {
    const values = pending.current;
    if (!values) return;
    const error = await confirmAction.run(() => send(values, typed));
    if (error === null) closeConfirmation();
  }

  function edited(name: KeyField): void {
    if (fieldErrors[name]) setFieldErrors((e) => ({ ...e, [name]: undefined }));
    action.clear();
  }

  function closeConfirmation(): void {
    pending.current = null;
    confirmAction.clear();
    setConfirmation(null);
  }

  return (
    <>
    <form
      className="exch-key-form"
      aria-label="Store API key"
      autoComplete="off"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className={needsPassphrase ? 'key-fields key-fields-3' : 'key-fields'}>
        <SecretField id={`${ids}-apiKey`} label="API key" inputRef={apiKeyRef} error={fieldErrors.apiKey} onEdit={() => edited('apiKey')} />
        <SecretField id={`${ids}-secret`} label="API secret" inputRef={secretRef} error={fieldErrors.secret} onEdit={() => edited('secret')} />
        {needsPassphrase && (
          <SecretField id={`${ids}-passphrase`} label="Passphrase" inputRef={passphraseRef} error={fieldErrors.passphrase} onEdit={() => edited('passphrase')} />
        )}
      </div>
      <div className="exch-actions exch-actions-left">
        <button type="submit" className="btn btn-primary" disabled={action.busy}>
          {action.busy ? 'Checking with the exchange…' : 'Store key'}
        </button>
        <span className="field-help">
          {replacing ? 'Replaces the stored key. ' : ''}Checked with the exchange first, then kept in the OS keychain; never shown
          again. Use a key without withdrawal permission, restricted to your IP.
        </span>
      </div>
      <ErrorNote error={action.error} />
    </form>
      <TypedConfirmDialog
        open={confirmation !== null}
        title="Store a key that can withdraw?"
        expected={confirmation?.expected ?? venue}
        confirmLabel="Store anyway"
        busy={confirmAction.busy}
        error={confirmAction.error?.message ?? null}
        matches={confirms}
        onConfirm={(typed) => void confirmWithdrawals(typed)}
        onCancel={closeConfirmation}
      >
        <p className="dialog-warn">{confirmation?.message}</p>
        <p>Anyone who obtains a key with withdrawal permission can move your funds off the exchange.</p>
      </TypedConfirmDialog>
    </>
  );
}

/** A password field whose text lives only in the DOM: nothing mirrors it in state. */
function SecretField(props: { id: string; label: string; inputRef: RefObject<HTMLInputElement | null>; error: string | undefined; onEdit(): void }) {
  const { id, label, inputRef, error, onEdit } = props;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        type="password"
        autoComplete="off"
        spellCheck={false}
        aria-invalid={error !== undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={onEdit}
      />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
