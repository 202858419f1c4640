/**
 * While any modal is open, the workstation behind it is inert: out of the
 * Tab order, the pointer and the accessibility tree, so a screen reader
 * lists the dialog's controls and not the blotters' Cancel buttons behind
 * it. Modals render outside the app root (a portal on <body>) for exactly
 * this; several can be open at once, and the root comes back when the last
 * one closes.
 */

let holders = 0;

/** Marks `root` inert until the returned release is called (each hold released once). */
export function holdInert(root: HTMLElement | null): () => void {
  if (!root) return () => undefined;
  holders++;
  root.inert = true;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders--;
    if (holders === 0) root.inert = false;
  };
}

/** The element modals make inert: the app's root. */
export function appRoot(): HTMLElement | null {
  return typeof document === 'undefined' ? null : document.getElementById('root');
}
