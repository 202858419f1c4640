/**
 * What the trader can do with a version: make it the active one (a roll back
 * when it is older than the active version) or delete it after a
 * confirmation. The engine's refusal (deleting the active version, say) is
 * shown as it words it.
 */
import { useState } from 'react';
import type { ModelRecord } from '../../../shared/models';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useServices } from '../../stores/KeelProvider';
import { FormError, toShownError, type ShownError } from '../strategies/FormError';
import { activateAction, versionName } from './modelList';
import { refreshModels } from './useModelsSync';

export function ModelActions({ model, versions, now }: { model: ModelRecord; versions: readonly ModelRecord[]; now: number }) {
  const { client, store } = useServices();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const action = activateAction(model, versions, now);
  const name = versionName(model);

  async function activate(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const record = await client.invoke('models.activate', { id: model.id });
      store.getState().upsertModel(record);
      store.getState().notify('success', `${versionName(record)} is active`);
    } catch (err) {
      setError(toShownError(err));
    } finally {
      setBusy(false);
    }
    await refreshModels(client, store);
  }

  async function remove(): Promise<void> {
    setBusy(true);
    setDeleteError(null);
    try {
      await client.invoke('models.delete', { id: model.id });
      setConfirming(false);
      store.getState().removeModel(model.id);
      store.getState().notify('info', `${name} deleted`);
    } catch (err) {
      setDeleteError(toShownError(err).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mv-actions">
      <div className="mv-action-buttons">
        <button type="button" className="btn btn-primary btn-xs" disabled={action.disabled || busy} title={action.help} onClick={() => void activate()}>
          {action.label}
        </button>
        <button
          type="button"
          className="btn btn-xs btn-danger-outline"
          aria-label={`Delete ${name}`}
          disabled={busy}
          onClick={() => {
            setDeleteError(null);
            setConfirming(true);
          }}
        >
          Delete
        </button>
      </div>
      <FormError error={error} testId="model-action-error" />
      <ConfirmDialog
        open={confirming}
        title={`Delete ${name}?`}
        confirmLabel="Delete"
        danger
        busy={busy}
        onCancel={() => setConfirming(false)}
        onConfirm={() => void remove()}
      >
        <p>
          Deletes this version, its metrics and its stored model. Other versions of {model.name} stay.
          {model.status === 'active' && ' It is the active version: activate another one first.'}
        </p>
        {deleteError && (
          <p className="dialog-error" role="alert">
            {deleteError}
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}
