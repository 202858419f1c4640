/** The chart's colours, apart from the chart itself so pure marker and band code can use them without loading it. */
export const CHART_COLORS = {
  background: '#0c0f14',
  text: '#8b95a7',
  grid: '#161b24',
  border: '#232a36',
  up: '#0ecb81',
  down: '#f6465d',
  upVolume: 'rgba(14, 203, 129, 0.35)',
  downVolume: 'rgba(246, 70, 93, 0.35)',
  crosshair: '#5d6b82',
  crosshairLabel: '#2a3140',
  position: '#e8b84a',
} as const;
