/**
 * Collapsing and restoring a pane: the button in the pane's title that folds
 * it away, and the rail that stands in for it while it is folded (a
 * full-height or full-width strip naming the pane, which restores it).
 */
import { useKeel } from '../../stores/KeelProvider';
import type { PaneKey } from '../../stores/layout';

export const PANE_NAME: Record<PaneKey, string> = {
  left: 'Watchlist and order book',
  ticket: 'Order ticket',
  bottom: 'Blotter',
};

export const paneId = (pane: PaneKey) => `pane-${pane}`;

/** Chevrons point the way the pane goes: the left column folds left, the ticket right, the blotter down. */
const COLLAPSE_GLYPH: Record<PaneKey, string> = { left: '‹', ticket: '›', bottom: '⌄' };
const EXPAND_GLYPH: Record<PaneKey, string> = { left: '›', ticket: '‹', bottom: '⌃' };

export function CollapseButton({ pane }: { pane: PaneKey }) {
  const setCollapsed = useKeel((s) => s.setCollapsed);
  return (
    <button
      type="button"
      className="btn btn-ghost pane-collapse"
      aria-label={`Collapse ${PANE_NAME[pane].toLowerCase()}`}
      aria-expanded={true}
      aria-controls={paneId(pane)}
      title={`Collapse ${PANE_NAME[pane].toLowerCase()}`}
      onClick={() => setCollapsed(pane, true)}
    >
      <span aria-hidden="true">{COLLAPSE_GLYPH[pane]}</span>
    </button>
  );
}

/** What a folded pane leaves on screen; `summary` says what it holds (counts) so nothing urgent hides in it. */
export function PaneRail({ pane, summary }: { pane: PaneKey; summary?: string }) {
  const setCollapsed = useKeel((s) => s.setCollapsed);
  const name = PANE_NAME[pane];
  return (
    <div className={`pane-rail pane-rail-${pane === 'bottom' ? 'horizontal' : 'vertical'}`} id={paneId(pane)}>
      <button
        type="button"
        className="pane-rail-button"
        aria-expanded={false}
        aria-controls={paneId(pane)}
        aria-label={`Show ${name.toLowerCase()}${summary ? ` (${summary})` : ''}`}
        title={`Show ${name.toLowerCase()}`}
        onClick={() => setCollapsed(pane, false)}
      >
        <span aria-hidden="true" className="pane-rail-glyph">
          {EXPAND_GLYPH[pane]}
        </span>
        <span className="pane-rail-name">{name}</span>
        {summary && <span className="pane-rail-summary">{summary}</span>}
      </button>
    </div>
  );
}
