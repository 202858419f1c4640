/** Accessible tabs (WAI-ARIA tabs pattern): arrow keys move between tabs, only the active panel is mounted. */
import { useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabSpec<K extends string> {
  id: K;
  label: ReactNode;
  /** Accessible name when the label carries more than words (counts, badges). */
  name: string;
}

interface Props<K extends string> {
  label: string;
  tabs: readonly TabSpec<K>[];
  active: K;
  onChange(id: K): void;
  idPrefix: string;
  children: ReactNode;
  actions?: ReactNode;
}

export function Tabs<K extends string>({ label, tabs, active, onChange, idPrefix, children, actions }: Props<K>) {
  const listRef = useRef<HTMLDivElement>(null);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
    const i = tabs.findIndex((t) => t.id === active);
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0 || i < 0) return;
    e.preventDefault();
    const next = tabs[(i + step + tabs.length) % tabs.length];
    if (!next) return;
    onChange(next.id);
    listRef.current?.querySelector<HTMLButtonElement>(`#${idPrefix}-tab-${next.id}`)?.focus();
  }

  return (
    <div className="tabs">
      <div className="tab-bar">
        <div className="tab-list" role="tablist" aria-label={label} ref={listRef} onKeyDown={onKeyDown}>
          {tabs.map((t) => (
            <button
              key={t.id}
              id={`${idPrefix}-tab-${t.id}`}
              type="button"
              role="tab"
              aria-label={t.name}
              aria-selected={t.id === active}
              aria-controls={`${idPrefix}-panel`}
              tabIndex={t.id === active ? 0 : -1}
              className="tab"
              onClick={() => onChange(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
        {actions && <div className="tab-actions">{actions}</div>}
      </div>
      <div
        className="tab-panel"
        id={`${idPrefix}-panel`}
        role="tabpanel"
        aria-labelledby={`${idPrefix}-tab-${active}`}
      >
        {children}
      </div>
    </div>
  );
}
