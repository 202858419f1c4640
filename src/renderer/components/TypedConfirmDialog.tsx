/**
 * A confirmation that must be typed: the step goes ahead only once the
 * trader has written `expected` (a venue's id) in the field. For steps that
 * risk real money (going live, storing a key that can withdraw), where a
 * reflexive click on a button is not consent enough.
 */
import { useId, useRef, useState, type ReactNode } from 'react';
import { Modal } from './Modal';

interface Props {
  open: boolean;
  title: string;
  children: ReactNode;
  /** What must be typed. */
  expected: string;
  confirmLabel: string;
  busy?: boolean;
  /** The engine's refusal, shown as it says it. */
  error?: string | null;
  /** Whether `typed` confirms (exact match, spaces around aside). */
  matches(typed: string, expected: string): boolean;
  onConfirm(typed: string): void;
  onCancel(): void;
}

export function TypedConfirmDialog(props: Props) {
  return (
    <Modal open={props.open} title={props.title} onClose={props.onCancel} className="dialog-typed">
      {/* Mounted only while open, so the typed text starts empty every time. */}
      {props.open && <TypedConfirmBody {...props} />}
    </Modal>
  );
}

function TypedConfirmBody({ children, expected, confirmLabel, busy, error, matches, onConfirm, onCancel }: Props) {
  const [typed, setTyped] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const ok = matches(typed, expected);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (ok && !busy) onConfirm(typed.trim());
      }}
      noValidate
    >
      <div className="dialog-body">
        {children}
        <div className="field">
          <label htmlFor={`${id}-typed`}>
            Type <code className="typed-expected">{expected}</code> to confirm
          </label>
          <input
            id={`${id}-typed`}
            ref={inputRef}
            type="text"
            autoComplete="off"
            spellCheck={false}
            autoFocus
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
        </div>
        {error && (
          <p className="dialog-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="btn btn-danger" disabled={busy || !ok}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </form>
  );
}
