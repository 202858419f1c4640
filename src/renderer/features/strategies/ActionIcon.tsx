/** Small glyphs for the instances table's row actions: dense enough for seven in a row, each named by its button. */
import type { StrategyAction } from './strategyActions';

type Glyph = StrategyAction | 'edit';

const PATHS: Record<Glyph, string> = {
  start: 'M4 2.5v11l9-5.5z',
  resume: 'M4 2.5v11l9-5.5z',
  pause: 'M4 3h3v10H4zM9 3h3v10H9z',
  stop: 'M3.5 3.5h9v9h-9z',
  // A stop square over a downward arrow: stop, then close the position.
  flatten: 'M3 2h10v5H3zM8 8.5l4 3.5H9.5V15h-3v-3H4z',
  edit: 'M11.3 1.7l3 3-8.6 8.6H2.7v-3zM10 4.4l1.6 1.6',
  delete: 'M3.5 3.5l9 9M12.5 3.5l-9 9',
};

const STROKED: readonly Glyph[] = ['edit', 'delete'];

export function ActionIcon({ glyph }: { glyph: Glyph }) {
  const stroked = STROKED.includes(glyph);
  return (
    <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path
        d={PATHS[glyph]}
        fill={stroked ? 'none' : 'currentColor'}
        stroke={stroked ? 'currentColor' : 'none'}
        strokeWidth={stroked ? 1.8 : 0}
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
