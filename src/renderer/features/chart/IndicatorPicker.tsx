/**
 * The chart's Indicators menu: search the catalog and add one, see what is
 * on this chart, change an indicator's parameters (checked as they are typed,
 * applied only when they are all valid) or remove it.
 */
import { useEffect, useId, useRef, useState } from 'react';
import {
  INDICATORS,
  MAX_INDICATORS,
  indicatorTitle,
  newIndicator,
  paramsProblems,
  searchIndicators,
  type IndicatorConfig,
  type IndicatorKind,
  type ParamValue,
} from './indicators/indicatorCatalog';
import { usePopover } from '../../lib/usePopover';

interface Props {
  indicators: readonly IndicatorConfig[];
  onChange(next: IndicatorConfig[]): void;
}

function ParamEditor({ config, onApply, onCancel }: { config: IndicatorConfig; onApply(params: Record<string, ParamValue>): void; onCancel(): void }) {
  const def = INDICATORS[config.kind];
  const [draft, setDraft] = useState<Record<string, string>>(() => Object.fromEntries(def.params.map((p) => [p.key, String(config.params[p.key] ?? p.default)])));
  const parsed: Record<string, ParamValue> = Object.fromEntries(
    def.params.map((p) => [p.key, p.kind === 'choice' ? (draft[p.key] ?? '') : draft[p.key]?.trim() === '' ? Number.NaN : Number(draft[p.key])]),
  );
  const problems = paramsProblems(config.kind, parsed);
  const formId = useId();
  return (
    <form
      className="ind-editor"
      aria-label={`${indicatorTitle(config)} parameters`}
      onSubmit={(e) => {
        e.preventDefault();
        if (problems.length === 0) onApply(parsed);
      }}
    >
      {def.params.map((p) => (
        <label key={p.key} className="ind-param">
          <span>{p.label}</span>
          {p.kind === 'choice' ? (
            <select value={draft[p.key]} onChange={(e) => setDraft({ ...draft, [p.key]: e.target.value })}>
              {p.choices.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          ) : (
            <input
              type="number"
              inputMode="decimal"
              min={p.min}
              max={p.max}
              step={p.step}
              value={draft[p.key]}
              aria-invalid={problems.some((m) => m.startsWith(p.label))}
              aria-describedby={`${formId}-problems`}
              onChange={(e) => setDraft({ ...draft, [p.key]: e.target.value })}
            />
          )}
        </label>
      ))}
      <div id={`${formId}-problems`} className="ind-problems" role="status">
        {problems.join('. ')}
      </div>
      <div className="ind-editor-actions">
        <button type="button" className="btn btn-xs btn-ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-xs btn-primary" disabled={problems.length > 0}>
          Apply
        </button>
      </div>
    </form>
  );
}

export function IndicatorPicker({ indicators, onChange }: Props) {
  const { open, setOpen, rootRef } = usePopover();
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const full = indicators.length >= MAX_INDICATORS;

  useEffect(() => {
    if (open) searchRef.current?.focus();
  }, [open]);

  const results = searchIndicators(query);
  const add = (kind: IndicatorKind) => {
    if (full) return;
    onChange([...indicators, newIndicator(kind, indicators)]);
  };

  return (
    <div className="chart-tool-menu" ref={rootRef}>
      <button type="button" className="chart-tool" aria-haspopup="dialog" aria-expanded={open} onClick={() => setOpen(!open)}>
        Indicators{indicators.length > 0 ? ` (${indicators.length})` : ''}
      </button>
      {open && (
        <div className="menu ind-menu" role="dialog" aria-label="Indicators">
          <input
            ref={searchRef}
            className="ind-search"
            type="search"
            placeholder="Search indicators"
            aria-label="Search indicators"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && results[0]) add(results[0].kind);
            }}
          />
          <ul className="ind-results" aria-label="Indicators to add">
            {results.map((def) => (
              <li key={def.kind}>
                <button type="button" className="menu-item" disabled={full} onClick={() => add(def.kind)} aria-label={`Add ${def.name}`}>
                  {def.name}
                  <span className="muted">{def.placement === 'pane' ? ' · own pane' : ''}</span>
                </button>
              </li>
            ))}
            {results.length === 0 && <li className="menu-note">No indicator matches “{query}”.</li>}
          </ul>
          {full && <div className="menu-note">A chart shows at most {MAX_INDICATORS} indicators.</div>}
          <div className="ind-active-title">On this chart</div>
          <ul className="ind-active" aria-label="Indicators on this chart">
            {indicators.length === 0 && <li className="menu-note">None yet.</li>}
            {indicators.map((c) => (
              <li key={c.id} className="ind-active-row">
                <div className="ind-active-line">
                  <span className="ind-swatch" style={{ background: c.color }} aria-hidden="true" />
                  <span className="ind-active-name">{indicatorTitle(c)}</span>
                  <button type="button" className="btn btn-xs btn-ghost" aria-label={`Edit ${indicatorTitle(c)}`} aria-expanded={editing === c.id} onClick={() => setEditing(editing === c.id ? null : c.id)}>
                    Edit
                  </button>
                  <button type="button" className="btn btn-xs btn-ghost" aria-label={`Remove ${indicatorTitle(c)}`} onClick={() => onChange(indicators.filter((x) => x.id !== c.id))}>
                    Remove
                  </button>
                </div>
                {editing === c.id && (
                  <ParamEditor
                    config={c}
                    onCancel={() => setEditing(null)}
                    onApply={(params) => {
                      onChange(indicators.map((x) => (x.id === c.id ? { ...x, params } : x)));
                      setEditing(null);
                    }}
                  />
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
