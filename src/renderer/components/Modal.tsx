/**
 * A modal built on <dialog>: the browser traps focus, Escape asks to close
 * (`onClose`), and the caller says which control takes focus first (the safe
 * or the expected choice). It is rendered on <body>, outside the app, and
 * while open the app is marked inert, so assistive technology sees only the
 * dialog. The title names the dialog; each instance gets its own ids so
 * several can coexist.
 */
import { useEffect, useId, useRef, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { appRoot, holdInert } from './inertBackground';

interface Props {
  open: boolean;
  title: ReactNode;
  onClose(): void;
  children: ReactNode;
  /** Focused when the dialog opens; the first focusable control otherwise. */
  initialFocus?: RefObject<HTMLElement | null>;
  className?: string;
  /** Extra content after the title, on the same line (status pills). */
  titleAside?: ReactNode;
}

export function Modal({ open, title, onClose, children, initialFocus, className, titleAside }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      initialFocus?.current?.focus();
    } else if (!open && d.open) {
      d.close();
    }
  }, [open, initialFocus]);

  useEffect(() => (open ? holdInert(appRoot()) : undefined), [open]);

  return createPortal(
    <dialog
      ref={ref}
      className={`dialog ${className ?? ''}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && (
        <>
          <div className="dialog-head">
            <h2 id={titleId}>{title}</h2>
            {titleAside}
          </div>
          {children}
        </>
      )}
    </dialog>,
    document.body,
  );
}
