/**
 * What is known about a venue's key, never the key: whether one is stored,
 * its last four characters, what the exchange said it may do (read, trade,
 * withdraw, IP allow-list), when that was checked, the engine's warnings,
 * and which keychain holds it.
 */
import type { CredentialStatus } from '../../../../shared/contract';
import { fmtDateTime } from '../../../lib/format';
import { permissionItems } from './exchangeForms';

export function KeyStatus({ status }: { status: CredentialStatus | undefined }) {
  if (!status) return <p className="muted">Key status not loaded yet.</p>;
  return (
    <div className="key-status" aria-label="Key status">
      <p className={status.stored ? 'key-line' : 'key-line key-missing'}>
        {status.stored ? (
          <>
            Key stored <span className="mono-id">…{status.lastFour ?? ''}</span> in {status.keychain}
            {status.checkedAt !== null && <span className="muted"> · checked {fmtDateTime(status.checkedAt)}</span>}
          </>
        ) : (
          <>No API key stored. Keys are kept in {status.keychain}; the venue stays blocked until one is stored.</>
        )}
      </p>
      {status.stored &&
        (status.permissions ? (
          <ul className="perm-list" aria-label="Key permissions">
            {permissionItems(status.permissions).map((p) => (
              <li key={p.name} className={`perm perm-${p.good === null ? 'unknown' : p.good ? 'good' : 'bad'}`}>
                {p.name}: <b>{p.value}</b>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">The exchange did not report this key's permissions.</p>
        ))}
      {status.warnings.length > 0 && (
        <ul className="key-warnings">
          {status.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
