/**
 * A button whose engine call runs only after a confirmation dialog, which
 * stays open on a refusal and shows the engine's message (removing a venue
 * with open orders, say).
 */
import { useState, type ReactNode } from 'react';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ErrorNote } from './ErrorNote';
import { useAction } from './useAction';

interface Props {
  label: string;
  title: string;
  confirmLabel: string;
  /** The engine call; the dialog closes when it succeeds. */
  run(): Promise<void>;
  children: ReactNode;
}

export function ConfirmedAction({ label, title, confirmLabel, run, children }: Props) {
  const [open, setOpen] = useState(false);
  const action = useAction();

  async function confirm(): Promise<void> {
    if ((await action.run(run)) === null) setOpen(false);
  }

  return (
    <>
      <button
        type="button"
        className="btn btn-danger-outline"
        onClick={() => {
          action.clear();
          setOpen(true);
        }}
      >
        {label}
      </button>
      <ConfirmDialog open={open} title={title} confirmLabel={confirmLabel} danger busy={action.busy} onCancel={() => setOpen(false)} onConfirm={() => void confirm()}>
        {children}
        <ErrorNote error={action.error} />
      </ConfirmDialog>
    </>
  );
}
