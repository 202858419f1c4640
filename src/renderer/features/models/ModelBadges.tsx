/** A version's status badge (candidate, active, retired) and "expired" beside it once past its maximum age. */
import type { ModelRecord } from '../../../shared/models';
import { BADGE_HELP, BADGE_LABEL, modelBadges } from './modelList';

export function ModelBadges({ model, now }: { model: ModelRecord; now: number }) {
  return (
    <span className="mv-badges">
      {modelBadges(model, now).map((b) => (
        <span key={b} className={`sbadge mv-badge-${b}`} title={BADGE_HELP[b]}>
          {BADGE_LABEL[b]}
        </span>
      ))}
    </span>
  );
}
