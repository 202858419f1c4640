/**
 * The picker of a `model` parameter: the registry's models by name (follow
 * the active version) and their versions (pin one), from the model list the
 * Models view keeps current.
 */
import { useMemo } from 'react';
import { useNow } from '../../lib/useNow';
import { useKeel } from '../../stores/KeelProvider';
import { modelChoices } from './modelChoices';

interface Props {
  id: string;
  testId: string;
  value: string;
  disabled: boolean | undefined;
  describedBy: string;
  invalid: boolean;
  onChange(value: string): void;
}

export function ModelParamSelect({ id, testId, value, disabled, describedBy, invalid, onChange }: Props) {
  const models = useKeel((s) => s.models);
  const now = useNow();
  const { groups, missing } = useMemo(() => modelChoices(models, now, value), [models, now, value]);
  return (
    <select
      id={id}
      data-testid={testId}
      value={value}
      disabled={disabled}
      aria-describedby={describedBy}
      aria-invalid={invalid ? true : undefined}
      onChange={(e) => onChange(e.target.value)}
    >
      <option value="">{groups.length === 0 ? 'No direction model in the registry yet' : 'Choose a model…'}</option>
      {missing && <option value={missing.value}>{missing.label}</option>}
      {groups.map((group) => (
        <optgroup key={group.name} label={group.name}>
          {group.choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}
