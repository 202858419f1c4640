/** From and To (local date and time, each optional): the bars a model is trained or measured on. */
import { TextField } from '../../components/TextField';

export function RangeFields({
  id,
  from,
  to,
  errors,
  onFrom,
  onTo,
}: {
  id: string;
  from: string;
  to: string;
  errors: { from?: string | undefined; to?: string | undefined };
  onFrom: (value: string) => void;
  onTo: (value: string) => void;
}) {
  return (
    <div className="mv-range">
      <TextField id={`${id}-from`} label="From (optional)" type="datetime-local" value={from} error={errors.from} onChange={onFrom} />
      <TextField id={`${id}-to`} label="To (optional)" type="datetime-local" value={to} error={errors.to} onChange={onTo} />
    </div>
  );
}
