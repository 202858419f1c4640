/** An instance's own limits, on top of the account's: empty means no limit of that kind. */
import { LIMIT_FIELDS, type LimitsErrors, type LimitsText } from './strategyForm';

interface Props {
  text: LimitsText;
  errors: LimitsErrors;
  onChange(patch: Partial<LimitsText>): void;
  idPrefix: string;
  /** The quote currency, when one venue's instruments share it. */
  currency?: string;
}

export function LimitsFields({ text, errors, onChange, idPrefix, currency }: Props) {
  return (
    <fieldset className="limits-group sv-limits">
      <legend>Limits (empty = none)</legend>
      <div className="sv-limits-grid">
        {LIMIT_FIELDS.map((f) => {
          const id = `${idPrefix}-${f.key}`;
          const error = errors[f.key];
          return (
            <div key={f.key} className={`field ${error ? 'has-error' : ''}`} title={f.help}>
              <label htmlFor={id}>{f.label}</label>
              <div className="input-affix">
                <input
                  id={id}
                  type="text"
                  inputMode={f.key === 'maxOpenOrders' ? 'numeric' : 'decimal'}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="none"
                  value={text[f.key]}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${id}-error` : undefined}
                  onChange={(e) => onChange({ [f.key]: e.target.value })}
                />
                <span className="affix">{f.unit === 'quote' ? currency || 'quote' : f.unit}</span>
              </div>
              {error && (
                <span id={`${id}-error`} className="field-error" role="alert">
                  {error}
                </span>
              )}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
