/**
 * Makes a table row open something (an order's detail): a click on the row,
 * or Enter on it once focused, with the arrow keys moving between rows. A
 * click on a control inside the row (Cancel, a symbol link) stays that
 * control's, and a drag that selects text to copy opens nothing.
 */
import type { KeyboardEvent, MouseEvent } from 'react';

const CONTROLS = 'button, a, input, select, textarea, label, summary';

function focusSibling(row: HTMLElement, step: 1 | -1): void {
  let next = step === 1 ? row.nextElementSibling : row.previousElementSibling;
  while (next instanceof HTMLElement && next.tabIndex < 0) next = step === 1 ? next.nextElementSibling : next.previousElementSibling;
  if (next instanceof HTMLElement) next.focus();
}

export interface RowActivationProps {
  tabIndex: number;
  'aria-description': string;
  onClick(e: MouseEvent<HTMLTableRowElement>): void;
  onKeyDown(e: KeyboardEvent<HTMLTableRowElement>): void;
}

export function rowActivation(activate: () => void, description: string): RowActivationProps {
  return {
    tabIndex: 0,
    'aria-description': description,
    onClick: (e) => {
      const control = e.target instanceof Element ? e.target.closest(CONTROLS) : null;
      if (control && e.currentTarget.contains(control)) return;
      if ((window.getSelection()?.toString() ?? '') !== '') return;
      activate();
    },
    onKeyDown: (e) => {
      // Keys pressed on a control inside the row belong to it.
      if (e.target !== e.currentTarget) return;
      if (e.key === 'Enter') {
        e.preventDefault();
        activate();
      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        focusSibling(e.currentTarget, e.key === 'ArrowDown' ? 1 : -1);
      }
    },
  };
}
