/** A model's maximum age, as the train and import forms ask for it: a number (blank: never) and its unit. */
import { TextField } from '../../components/TextField';
import type { MaxAgeUnit } from './maxAge';

export function MaxAgeFields({
  id,
  value,
  unit,
  error,
  onValue,
  onUnit,
}: {
  id: string;
  value: string;
  unit: MaxAgeUnit;
  error: string | undefined;
  onValue: (value: string) => void;
  onUnit: (unit: MaxAgeUnit) => void;
}) {
  return (
    <div className="mv-age">
      <TextField id={`${id}-age`} label="Maximum age" value={value} error={error} onChange={onValue} placeholder="never" help="Older than this, the model is not used for new decisions" />
      <div className="field">
        <label htmlFor={`${id}-age-unit`}>Unit</label>
        <select id={`${id}-age-unit`} value={unit} onChange={(e) => onUnit(e.target.value as MaxAgeUnit)}>
          <option value="hours">hours</option>
          <option value="days">days</option>
        </select>
      </div>
    </div>
  );
}
