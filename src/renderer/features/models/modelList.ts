/**
 * The registry as the trader reads it: versions grouped by model name
 * (names in alphabetical order, newest version first), each version's
 * badges (its status, and "expired" once it is past its maximum age), and
 * what Activate means for a version: activating an older version than the
 * active one is a roll back.
 */
import { isModelExpired, type ModelRecord } from '../../../shared/models';

export interface ModelGroup {
  name: string;
  /** Newest version first. */
  versions: ModelRecord[];
  active: ModelRecord | null;
}

export function groupModels(models: readonly ModelRecord[]): ModelGroup[] {
  const byName = new Map<string, ModelRecord[]>();
  for (const m of models) {
    const list = byName.get(m.name);
    if (list) list.push(m);
    else byName.set(m.name, [m]);
  }
  return [...byName.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, versions]) => {
      const sorted = [...versions].sort((a, b) => b.version - a.version);
      return { name, versions: sorted, active: sorted.find((m) => m.status === 'active') ?? null };
    });
}

export type ModelBadge = ModelRecord['status'] | 'expired';

export function modelBadges(model: ModelRecord, now: number): ModelBadge[] {
  return isModelExpired(model, now) ? [model.status, 'expired'] : [model.status];
}

export const BADGE_LABEL: Record<ModelBadge, string> = {
  candidate: 'Candidate',
  active: 'Active',
  retired: 'Retired',
  expired: 'Expired',
};

export const BADGE_HELP: Record<ModelBadge, string> = {
  candidate: 'Trained, not in use yet',
  active: 'The version of this model in use',
  retired: 'Was active; another version replaced it',
  expired: 'Older than its maximum age: not used for new decisions',
};

export interface ActivateAction {
  label: string;
  disabled: boolean;
  /** What pressing it does, in words. */
  help: string;
}

/** The Activate button for a version, given its name's versions (any order). */
export function activateAction(model: ModelRecord, versions: readonly ModelRecord[], now: number): ActivateAction {
  if (model.status === 'active') return { label: 'Active', disabled: true, help: `v${model.version} is the active version of ${model.name}` };
  const active = versions.find((m) => m.status === 'active' && m.id !== model.id) ?? null;
  const expired = isModelExpired(model, now) ? ' It is past its maximum age, so it will not be used for new decisions.' : '';
  if (active && model.version < active.version) {
    return { label: 'Roll back to this version', disabled: false, help: `Makes v${model.version} active again and retires v${active.version}.${expired}` };
  }
  const retires = active ? ` and retires v${active.version}` : '';
  return { label: 'Activate', disabled: false, help: `Makes v${model.version} the active version of ${model.name}${retires}.${expired}` };
}

/** A version's name as the screen says it: "btc-direction v3". */
export function versionName(model: Pick<ModelRecord, 'name' | 'version'>): string {
  return `${model.name} v${model.version}`;
}
