/**
 * The Pipeline view: three columns of cards (Discovery, Paper, Live), each
 * card a strategy version with its evidence and the criteria of the next
 * gate marked passed or failed; Promote (disabled, with the reason, while
 * the gate fails) and Demote (with a reason) on every card; a Paper card's
 * Promote goes live on the real venue and at the size factor picked on it.
 * Beside the board: the Discover form, the discovery schedules, the gate
 * settings and the journal of moves.
 */
import { useState } from 'react';
import type { PipelineCard, PipelineColumn } from '../../../shared/contract';
import { PIPELINE_COLUMNS } from '../../../shared/contract';
import { errorMessage } from '../../api/client';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { COLUMN_LABELS, criterionLine, figuresLine, formatValue, promoteBlocker } from './pipelineFormat';
import { DiscoverForm } from './DiscoverForm';
import { GateSettingsForm } from './GateSettingsForm';
import { liveChoices, livePromotion } from './livePromotion';
import { SchedulesList } from './SchedulesList';
import { usePipelineSync } from './usePipelineSync';
import './pipeline.css';

export function PipelinePanel() {
  usePipelineSync();
  const board = useKeel((s) => s.pipeline);
  const error = useKeel((s) => s.pipelineError);
  return (
    <div className="pl" data-testid="pipeline-panel">
      {error && (
        <div className="pl-error" role="alert">
          {error}
        </div>
      )}
      <div className="pl-board">
        {PIPELINE_COLUMNS.map((column) => (
          <Column key={column} column={column} cards={(board?.cards ?? []).filter((c) => c.column === column)} loaded={board !== null} />
        ))}
      </div>
      <aside className="pl-side">
        <DiscoverForm />
        <SchedulesList />
        <GateSettingsForm />
        <MovesList />
      </aside>
    </div>
  );
}

function Column({ column, cards, loaded }: { column: PipelineColumn; cards: PipelineCard[]; loaded: boolean }) {
  return (
    <section className="panel pl-column" aria-label={COLUMN_LABELS[column]} data-testid={`pipeline-column-${column}`}>
      <div className="panel-title">
        {COLUMN_LABELS[column]} <span className="muted">{cards.length}</span>
      </div>
      <div className="pl-cards">
        {cards.length === 0 && <div className="table-empty">{loaded ? emptyText(column) : 'Loading…'}</div>}
        {cards.map((card) => (
          <CardView key={card.id} card={card} />
        ))}
      </div>
    </section>
  );
}

function emptyText(column: PipelineColumn): string {
  if (column === 'discovery') return 'No candidates yet: run a discovery.';
  if (column === 'paper') return 'No card trading on paper.';
  return 'No card trading live.';
}

function CardView({ card }: { card: PipelineCard }) {
  const { client, store } = useServices();
  const [busy, setBusy] = useState(false);
  const [demoting, setDemoting] = useState(false);
  const [reason, setReason] = useState('');
  // Going live: the trader's pick of venue and size, else the choices' defaults (which follow the venues' states).
  const [venuePick, setVenuePick] = useState<string | null>(null);
  const [sizePick, setSizePick] = useState<string | null>(null);
  const venues = useKeel((s) => s.venues);
  const gates = useKeel((s) => s.pipelineGates);
  const toLive = card.column === 'paper';
  const choices = liveChoices(venues, gates);
  const venue = venuePick !== null && choices.venues.includes(venuePick) ? venuePick : choices.venue;
  const sizeText = sizePick ?? choices.sizeFactor;
  const live = toLive ? livePromotion(card.id, choices, venue, sizeText) : null;
  const blocker = promoteBlocker(card) ?? (live !== null && 'blocker' in live ? live.blocker : null);
  const { backtest, checks, run } = card.evidence;

  const act = (work: () => Promise<unknown>): void => {
    setBusy(true);
    work().then(
      () => {
        store.getState().setPipelineError(null);
        setBusy(false);
        setDemoting(false);
        setReason('');
      },
      (err: unknown) => {
        store.getState().setPipelineError(errorMessage(err));
        setBusy(false);
      },
    );
  };

  return (
    <article className={`pl-card${card.degradation ? ' pl-card-degraded' : ''}`} data-testid="pipeline-card" data-card-id={card.id} aria-label={card.name}>
      <header className="pl-card-head">
        <strong className="pl-card-name">{card.name}</strong>
        <span className="muted">
          {card.type}
          {card.model && ` · model ${card.model.name}${card.model.version === null ? '' : ` v${card.model.version}`}`}
          {` · ${card.symbol} ${card.timeframe}`}
        </span>
        {card.venue && (
          <span className="pl-running" data-testid="pipeline-card-venue">
            {card.column === 'live' ? 'live' : 'paper'} on {card.venue}
            {card.sizeFactor !== null && ` at ×${card.sizeFactor}`}
            {run && run.status !== 'running' && ` · instance ${run.status}`}
          </span>
        )}
      </header>
      <dl className="pl-evidence">
        <dt>In sample</dt>
        <dd>{figuresLine(backtest.inSample)}</dd>
        <dt>Out of sample</dt>
        <dd>{figuresLine(backtest.outOfSample)}</dd>
        {backtest.folds.map((fold, i) => (
          <FoldRow key={fold.from} index={i} line={figuresLine(fold)} />
        ))}
        <dt>Deflated Sharpe</dt>
        <dd>
          {formatValue(backtest.deflatedSharpe)} <span className="muted">({backtest.trials} sets tried)</span>
        </dd>
        <dt>Lookahead</dt>
        <dd title={checks.lookahead.detail}>{checks.lookahead.status.replace('_', ' ')}</dd>
        <dt>Warm-up</dt>
        <dd title={checks.warmup.detail}>{checks.warmup.status.replace('_', ' ')}</dd>
        {run && (
          <>
            <dt>Running</dt>
            <dd>
              {run.days.toFixed(1)} days · {run.trades} trades · DD {run.drawdownPct === null ? '—' : `${run.drawdownPct.toFixed(1)} %`}
            </dd>
            <dt>Tracking error</dt>
            <dd>{formatValue(run.trackingError)}</dd>
            <dt>Reconciliation</dt>
            <dd>{run.openDifferences} open differences</dd>
            <dt>Risk refusals</dt>
            <dd>{run.riskRefusals}</dd>
          </>
        )}
      </dl>
      {card.nextGate && (
        <ul className="pl-gate" aria-label={`${COLUMN_LABELS[card.nextGate.column]} gate`}>
          {card.nextGate.criteria.map((c) => (
            <li key={c.key} className={c.passed ? 'pl-pass' : 'pl-fail'} data-testid={`criterion-${c.key}`} data-passed={c.passed}>
              <span aria-hidden="true">{c.passed ? '✓' : '✗'}</span> {criterionLine(c)}
            </li>
          ))}
        </ul>
      )}
      {card.degradation && (
        <p className="pl-degraded" role="status">
          Degrading: {card.degradation}
        </p>
      )}
      {toLive && (
        <div className="pl-live-pick" data-testid="pipeline-live-picker">
          <label>
            <span>Live on</span>
            <select aria-label="Live venue" value={venue ?? ''} disabled={busy || choices.venues.length === 0} onChange={(e) => setVenuePick(e.target.value)}>
              {choices.venues.length === 0 && <option value="">no real venue ready</option>}
              {choices.venues.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>Size ×</span>
            <input aria-label="Live size factor" inputMode="decimal" value={sizeText} disabled={busy} onChange={(e) => setSizePick(e.target.value)} />
          </label>
          {choices.blocker && promoteBlocker(card) !== null && <span className="muted">{choices.blocker}</span>}
        </div>
      )}
      <div className="pl-actions">
        {card.column !== 'live' && (
          <button
            type="button"
            className="btn btn-primary btn-xs"
            disabled={busy || blocker !== null}
            title={blocker ?? `Promote to ${card.nextGate ? COLUMN_LABELS[card.nextGate.column] : ''}`}
            onClick={() => act(() => client.invoke('pipeline.promote', live !== null && 'params' in live ? live.params : { cardId: card.id }))}
          >
            Promote
          </button>
        )}
        {card.column !== 'discovery' && !demoting && (
          <button type="button" className="btn btn-xs btn-danger-outline" disabled={busy} onClick={() => setDemoting(true)}>
            Demote
          </button>
        )}
        {blocker && card.column !== 'live' && <span className="pl-blocker muted">{blocker}</span>}
      </div>
      {demoting && (
        <form
          className="pl-demote"
          onSubmit={(e) => {
            e.preventDefault();
            act(() => client.invoke('pipeline.demote', { cardId: card.id, reason }));
          }}
        >
          <input aria-label="Reason for demoting" placeholder="Why demote it?" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
          <button type="submit" className="btn btn-xs btn-danger" disabled={busy || reason.trim() === ''}>
            Demote
          </button>
          <button type="button" className="btn btn-xs btn-ghost" onClick={() => setDemoting(false)}>
            Cancel
          </button>
        </form>
      )}
    </article>
  );
}

function FoldRow({ index, line }: { index: number; line: string }) {
  return (
    <>
      <dt className="pl-fold">Fold {index + 1}</dt>
      <dd className="pl-fold">{line}</dd>
    </>
  );
}

function MovesList() {
  const moves = useKeel((s) => s.pipeline?.moves ?? null);
  const cards = useKeel((s) => s.pipeline?.cards ?? null);
  const name = (id: string) => cards?.find((c) => c.id === id)?.name ?? id;
  return (
    <section className="panel pl-moves" aria-label="Moves">
      <div className="panel-title">Moves</div>
      <ol className="pl-move-list">
        {(moves ?? []).length === 0 && <li className="muted">No moves yet.</li>}
        {(moves ?? []).slice(0, 50).map((m) => (
          <li key={m.id} data-testid="pipeline-move">
            <span className="muted">{new Date(m.at).toISOString().slice(5, 16).replace('T', ' ')}</span> <strong>{m.kind}</strong> {name(m.cardId)}
            {m.from ? ` ${COLUMN_LABELS[m.from]} →` : ''} {COLUMN_LABELS[m.to]}
            {m.automatic && <span className="muted"> (automatic)</span>}
            <div className="muted pl-move-reason">{m.reason}</div>
          </li>
        ))}
      </ol>
    </section>
  );
}
