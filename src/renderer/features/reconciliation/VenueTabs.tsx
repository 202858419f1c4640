/**
 * The venue chooser of the Reconciliation view: one toggle per venue the
 * engine runs, named by its id, marked with its blocking differences (or a
 * failed reconciliation) so a venue that needs the trader stands out from
 * the one on screen. The status in words is each button's description.
 */
import { useShallow } from 'zustand/react/shallow';
import { useKeel } from '../../stores/KeelProvider';
import { unresolvedBlocking } from '../../stores/reconciliation';
import { reportStatus } from './reportStatus';

export function VenueTabs({ current }: { current: string | null }) {
  const venues = useKeel(useShallow((s) => s.venues.map((v) => v.venue)));
  const reports = useKeel((s) => s.reconciliations);
  const show = useKeel((s) => s.showReconciliationVenue);

  return (
    <div className="rc-venues" role="group" aria-label="Venue">
      {venues.map((venue) => {
        const report = reports[venue];
        const status = reportStatus(report);
        const blocking = unresolvedBlocking(report);
        return (
          <button
            key={venue}
            type="button"
            className={`rc-venue rc-tone-${status.tone}`}
            aria-pressed={venue === current}
            aria-label={venue}
            title={status.headline}
            data-testid={`reconciliation-venue-${venue}`}
            onClick={() => show(venue)}
          >
            <span className="rc-dot" aria-hidden="true" />
            {venue}
            {blocking > 0 && (
              <span className="count count-err" aria-hidden="true">
                {blocking}
              </span>
            )}
            {status.tone === 'failed' && (
              <span className="count count-err" aria-hidden="true">
                !
              </span>
            )}
          </button>
        );
      })}
    </div>
  );
}
