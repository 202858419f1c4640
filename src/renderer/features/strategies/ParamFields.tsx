/**
 * The fields of a strategy's declared parameters: a number input per `int`
 * or `float` (with its bounds and step), a checkbox per `bool`, a select per
 * `enum`, a picker of the registry's models per `model`, each labelled with its declared label and described with its
 * range and description. One component serves the strategies' create form,
 * their edit dialog and the backtest form; the owner holds the values.
 */
import type { StrategyParamSpec } from '../../../shared/contract';
import { ModelParamSelect } from './ModelParamSelect';
import { describeRange, type ParamErrors, type ParamValue, type ParamValues } from './paramForm';

interface Props {
  specs: readonly StrategyParamSpec[];
  values: ParamValues;
  /** Errors to show now (the owner decides when: after a first attempt, or as typed). */
  errors: ParamErrors;
  onChange(name: string, value: ParamValue): void;
  /** Unique per form, for label and description ids. */
  idPrefix: string;
  /** Test ids are `<prefix>-<name>`; forms that can be on screen together use different prefixes. */
  testIdPrefix?: string;
  disabled?: boolean;
}

export function ParamFields({ specs, values, errors, onChange, idPrefix, testIdPrefix = 'strategy-param', disabled }: Props) {
  if (specs.length === 0) return <p className="field-help">This strategy has no parameters.</p>;
  return (
    <div className="param-grid">
      {specs.map((spec) => (
        <ParamField
          key={spec.name}
          spec={spec}
          value={values[spec.name]}
          error={errors[spec.name]}
          onChange={(v) => onChange(spec.name, v)}
          id={`${idPrefix}-${spec.name}`}
          testId={`${testIdPrefix}-${spec.name}`}
          disabled={disabled}
        />
      ))}
    </div>
  );
}

interface FieldProps {
  spec: StrategyParamSpec;
  value: ParamValue | undefined;
  error: string | undefined;
  onChange(value: ParamValue): void;
  id: string;
  testId: string;
  disabled: boolean | undefined;
}

function ParamField({ spec, value, error, onChange, id, testId, disabled }: FieldProps) {
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const describedBy = error ? `${errorId} ${helpId}` : helpId;
  const range = describeRange(spec);
  const help = (
    <span id={helpId} className="param-help" title={spec.description}>
      {spec.type !== 'bool' && <span className="param-range">{range}</span>}
      {spec.description && <span className="param-desc">{spec.description}</span>}
    </span>
  );
  const errorLine = error && (
    <span id={errorId} className="field-error" role="alert">
      {error}
    </span>
  );

  if (spec.type === 'bool') {
    return (
      <div className={`field param-field param-bool ${error ? 'has-error' : ''}`}>
        <label className="param-check" htmlFor={id}>
          <input
            id={id}
            type="checkbox"
            data-testid={testId}
            checked={value === true}
            disabled={disabled}
            aria-describedby={describedBy}
            onChange={(e) => onChange(e.target.checked)}
          />
          <span>{spec.label}</span>
        </label>
        {errorLine}
        {help}
      </div>
    );
  }

  return (
    <div className={`field param-field ${spec.type === 'model' ? 'param-model' : ''} ${error ? 'has-error' : ''}`}>
      <label htmlFor={id}>{spec.label}</label>
      {spec.type === 'model' ? (
        <ModelParamSelect
          id={id}
          testId={testId}
          value={typeof value === 'string' ? value : ''}
          disabled={disabled}
          describedBy={describedBy}
          invalid={Boolean(error)}
          onChange={onChange}
        />
      ) : spec.type === 'enum' ? (
        <select
          id={id}
          data-testid={testId}
          value={typeof value === 'string' ? value : ''}
          disabled={disabled}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
          onChange={(e) => onChange(e.target.value)}
        >
          {(spec.options ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          type="number"
          inputMode={spec.type === 'int' ? 'numeric' : 'decimal'}
          className="num-input"
          data-testid={testId}
          value={typeof value === 'string' ? value : ''}
          min={spec.min ?? undefined}
          max={spec.max ?? undefined}
          step={spec.step ?? (spec.type === 'int' ? 1 : 'any')}
          disabled={disabled}
          autoComplete="off"
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {errorLine}
      {help}
    </div>
  );
}
