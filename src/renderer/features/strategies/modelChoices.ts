/**
 * What a model parameter's picker offers: the registry's direction models
 * by name, each as "its active version" (the name: the strategy follows
 * whichever version is active when a bar is scored) and as each of its
 * versions pinned (the version's id). A value the picker cannot offer (the
 * registry no longer holds it, or it is not a direction model) stays
 * visible, saying why, so an edit does not lose it silently.
 */
import { isModelExpired, type ModelRecord } from '../../../shared/models';
import { groupModels } from '../models/modelList';

export interface ModelChoice {
  value: string;
  label: string;
}

export interface ModelChoiceGroup {
  name: string;
  choices: ModelChoice[];
}

export interface ModelChoices {
  groups: ModelChoiceGroup[];
  /** The current value when it names nothing in the registry. */
  missing: ModelChoice | null;
}

/** Only models that call a direction (long, short, neutral) can drive a strategy. */
function drivesStrategies(model: ModelRecord): boolean {
  return model.target.kind === 'direction' && model.algorithm !== 'online-logistic';
}

export function modelChoices(models: readonly ModelRecord[], now: number, current: string): ModelChoices {
  const groups = groupModels(models.filter(drivesStrategies)).map(({ name, versions, active }) => {
    const age = (m: ModelRecord) => (isModelExpired(m, now) ? ', expired' : '');
    const follow: ModelChoice = { value: name, label: active ? `${name}: active version (now v${active.version}${age(active)})` : `${name}: active version (none active now)` };
    const pinned = versions.map((m) => ({ value: m.id, label: `${name} v${m.version} only (${m.status}${age(m)})` }));
    return { name, choices: [follow, ...pinned] };
  });
  const known = current === '' || groups.some((g) => g.choices.some((c) => c.value === current));
  if (known) return { groups, missing: null };
  const held = models.some((m) => m.id === current || m.name === current);
  return { groups, missing: { value: current, label: `${current} (${held ? 'not a direction model' : 'not in the registry'})` } };
}
