/** Deletes a venue's key from the keychain after a confirmation; the venue stays, blocked, until a new key is stored. */
import { useServices } from '../../../stores/KeelProvider';
import { ConfirmedAction } from './ConfirmedAction';

export function DeleteKey({ venue }: { venue: string }) {
  const { client, store } = useServices();
  return (
    <ConfirmedAction
      label="Delete key"
      title={`Delete the API key of ${venue}?`}
      confirmLabel="Delete key"
      run={async () => {
        store.getState().setCredentialStatus(await client.invoke('credentials.delete', { venue }));
        store.getState().notify('info', `API key of ${venue} deleted; the venue is blocked until a new one is stored.`);
      }}
    >
      <p>The key is removed from the keychain. The venue stays but cannot trade until a new key is stored.</p>
    </ConfirmedAction>
  );
}
