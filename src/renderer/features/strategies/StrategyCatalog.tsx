/**
 * The catalog: every strategy type Keel knows, built in or from the user's
 * own files, one line of summary each. Choosing one shows its page and
 * points the create form at it. A user file that failed to load is listed
 * with the reason, and cannot be chosen.
 */
import { useState } from 'react';
import type { StrategyCatalogEntry } from '../../../shared/contract';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { loadStrategies } from './useStrategiesSync';

export function StrategyCatalog() {
  const { client, store } = useServices();
  const entries = useKeel((s) => s.strategyCatalog);
  const selected = useKeel((s) => s.selectedStrategyType);
  const select = useKeel((s) => s.selectStrategyType);
  const [reloading, setReloading] = useState(false);

  async function reload(): Promise<void> {
    setReloading(true);
    try {
      await loadStrategies(client, store, { reloadFiles: true });
    } finally {
      setReloading(false);
    }
  }

  return (
    <section className="panel sv-catalog" aria-label="Strategy catalog">
      <div className="panel-title">
        <span>
          Catalog <span className="count">{entries.length}</span>
        </span>
        <button
          type="button"
          className="btn btn-xs btn-ghost"
          onClick={() => void reload()}
          disabled={reloading}
          title="Read the strategy folder again: new, changed and removed files (a running instance keeps its code until it is started again)"
        >
          {reloading ? 'Reloading…' : 'Reload'}
        </button>
      </div>
      <ul className="catalog-list" data-testid="strategy-catalog" aria-label="Strategy types">
        {entries.map((e) => (
          <CatalogItem key={e.type} entry={e} selected={e.type === selected} onSelect={() => select(e.type)} />
        ))}
      </ul>
      {entries.length === 0 && <div className="table-empty">No strategy types loaded</div>}
    </section>
  );
}

function CatalogItem({ entry, selected, onSelect }: { entry: StrategyCatalogEntry; selected: boolean; onSelect(): void }) {
  const broken = entry.error !== null;
  return (
    <li>
      <button
        type="button"
        className={`catalog-entry ${selected ? 'selected' : ''} ${broken ? 'broken' : ''}`}
        data-testid={`catalog-entry-${entry.type}`}
        aria-pressed={selected}
        disabled={broken}
        title={broken ? `${entry.file ?? entry.type} could not be loaded` : entry.file ?? undefined}
        onClick={onSelect}
      >
        <span className="ce-head">
          <span className="ce-name">{entry.name}</span>
          <span className={`ce-origin ce-origin-${entry.origin}`}>{entry.origin === 'builtin' ? 'Built-in' : 'User'}</span>
        </span>
        {entry.summary && <span className="ce-summary">{entry.summary}</span>}
        {broken && (
          <span className="ce-error">
            {entry.file && <span className="mono-id">{entry.file}: </span>}
            {entry.error}
          </span>
        )}
      </button>
    </li>
  );
}
