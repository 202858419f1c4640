/** A labelled text field with an optional unit, hover help and its error under it (marked invalid for assistive technology). */

export interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string;
  unit?: string;
  help?: string;
  placeholder?: string;
  disabled?: boolean;
  type?: 'text' | 'datetime-local';
  /** Words rather than a number (a name): no numeric keyboard. */
  words?: boolean;
}

export function TextField({ id, label, value, onChange, error, unit, help, placeholder, disabled, type = 'text', words }: TextFieldProps) {
  const input = (
    <input
      id={id}
      type={type}
      inputMode={type === 'text' && !words ? 'decimal' : undefined}
      autoComplete="off"
      spellCheck={false}
      value={value}
      placeholder={placeholder}
      disabled={disabled}
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? `${id}-error` : undefined}
      onChange={(e) => onChange(e.target.value)}
    />
  );
  return (
    <div className={`field ${error ? 'has-error' : ''} ${disabled ? 'unused' : ''}`} title={help}>
      <label htmlFor={id}>{label}</label>
      {unit !== undefined ? (
        <div className="input-affix">
          {input}
          <span className="affix">{unit}</span>
        </div>
      ) : (
        input
      )}
      {error && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
