/** A thin progress bar with its percentage, for work that reports done of total (backtest runs, training jobs). */

export interface Progress {
  done: number;
  total: number;
}

interface Props {
  progress: Progress;
  testId?: string;
  wide?: boolean;
  /** Accessible name; "Progress" unless the context needs more words. */
  label?: string;
  /** Hover text; "done of total" by default. */
  title?: string;
}

export function ProgressBar({ progress, testId, wide, label = 'Progress', title }: Props) {
  const pct = progress.total > 0 ? Math.min(100, (progress.done / progress.total) * 100) : 0;
  return (
    <span
      className={`bt-progress ${wide ? 'wide' : ''}`}
      data-testid={testId}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={progress.total}
      aria-valuenow={progress.done}
      aria-valuetext={progress.total > 0 ? `${pct.toFixed(0)}% (${progress.done} of ${progress.total})` : 'waiting'}
      title={title ?? (progress.total > 0 ? `${progress.done.toLocaleString('en-US')} of ${progress.total.toLocaleString('en-US')}` : 'Waiting to start')}
    >
      <span className="bt-progress-fill" style={{ width: `${pct}%` }} />
      <span className="bt-progress-text">{progress.total > 0 ? `${pct.toFixed(0)}%` : '…'}</span>
    </span>
  );
}
