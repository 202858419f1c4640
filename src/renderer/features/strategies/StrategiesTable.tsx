/**
 * Every strategy instance with what it is doing and what it has done: status
 * (and why Keel stopped it, when it did), its own position, PnL, fees,
 * trades, win rate, working orders and last signal, updated live from
 * `strategies.updated`. Each row's buttons are enabled by its status; the two
 * that cannot be taken back (stop & flatten, delete) ask first. One row
 * component per instance, so an update re-renders only its row.
 */
import { useState } from 'react';
import type { StrategyInstance } from '../../../shared/contract';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { fmtMoney, fmtQty, fmtSince, pnlClass, signOf } from '../../lib/format';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { instrumentFor } from '../../stores/selectors';
import { ActionIcon } from './ActionIcon';
import { EditStrategyDialog } from './EditStrategyDialog';
import { toShownError, type ShownError } from './FormError';
import { fmtWinRate, instanceCounts, instanceTotals } from './instanceFigures';
import { paramsSummary } from './paramForm';
import {
  ACTION_HINT,
  ACTION_LABEL,
  actionAriaLabel,
  canAct,
  canEdit,
  instanceTitle,
  needsConfirm,
  statusText,
  STATUS_LABEL,
  type StrategyAction,
} from './strategyActions';

const ROW_ACTIONS: readonly StrategyAction[] = ['start', 'pause', 'resume', 'stop', 'flatten'];

function StrategyRow({ instance }: { instance: StrategyInstance }) {
  const { client, store } = useServices();
  const inst = useKeel((s) => instrumentFor(s, instance.venue, instance.symbol));
  const entry = useKeel((s) => s.strategyCatalog.find((e) => e.type === instance.type));
  const [busy, setBusy] = useState<StrategyAction | null>(null);
  const [confirming, setConfirming] = useState<StrategyAction | null>(null);
  const [confirmError, setConfirmError] = useState<ShownError | null>(null);
  const [editing, setEditing] = useState(false);
  const a = instance.accounting;
  const title = instanceTitle(instance);

  async function run(action: StrategyAction): Promise<void> {
    const id = instance.id;
    setBusy(action);
    setConfirmError(null);
    try {
      switch (action) {
        case 'start':
          store.getState().upsertStrategies([await client.invoke('strategies.start', { id })]);
          break;
        case 'pause':
          store.getState().upsertStrategies([await client.invoke('strategies.pause', { id })]);
          break;
        case 'resume':
          store.getState().upsertStrategies([await client.invoke('strategies.resume', { id })]);
          break;
        case 'stop':
          store.getState().upsertStrategies([await client.invoke('strategies.stop', { id })]);
          break;
        case 'flatten':
          store.getState().upsertStrategies([await client.invoke('strategies.stop', { id, flatten: true })]);
          store.getState().notify('success', `${title}: stopping and closing its position at market`);
          break;
        case 'delete':
          await client.invoke('strategies.delete', { id });
          store.getState().removeStrategy(id);
          store.getState().notify('success', `${title} deleted`);
          break;
      }
      setConfirming(null);
    } catch (err) {
      const shown = toShownError(err);
      if (needsConfirm(action)) setConfirmError(shown);
      else store.getState().notify('error', `${ACTION_LABEL[action]} ${title} failed: ${shown.message}`);
    } finally {
      setBusy(null);
    }
  }

  function press(action: StrategyAction): void {
    if (needsConfirm(action)) {
      setConfirmError(null);
      setConfirming(action);
    } else {
      void run(action);
    }
  }

  const actionButton = (action: StrategyAction) => (
    <button
      key={action}
      type="button"
      className={`btn btn-xs btn-icon sv-act sv-act-${action}`}
      data-testid={`strategy-action-${action}-${instance.id}`}
      aria-label={actionAriaLabel(action, instance)}
      title={`${ACTION_LABEL[action]}: ${ACTION_HINT[action]}`}
      disabled={busy !== null || !canAct(action, instance.status)}
      onClick={() => press(action)}
    >
      {busy === action ? <span className="sv-busy">…</span> : <ActionIcon glyph={action} />}
    </button>
  );

  const positionSign = signOf(a.position);
  const entryName = entry?.name ?? instance.type;

  return (
    <tr data-testid={`strategy-row-${instance.id}`} className={`sv-row sv-row-${instance.status}`}>
      <td className="sv-two" title={`${instance.name}\n${entryName}: ${paramsSummary(instance.params, entry?.params)}\nid ${instance.id}`}>
        <span className="sv-line1 sv-name">{instance.name}</span>
        <span className="sv-line2">
          {instance.resumeAfterRestart && (
            <span className="tag sv-auto" title="Resumes after a restart">
              AUTO
            </span>
          )}
          {entryName}
        </span>
      </td>
      <td className="sv-two">
        <span className="sv-line1">
          <button
            type="button"
            className="link sym"
            title="Show on the trading chart"
            onClick={() => {
              store.getState().selectMarket(instance.venue, instance.symbol);
              store.getState().setWorkspaceView('trade');
            }}
          >
            {instance.symbol}
          </button>
        </span>
        <span className="sv-line2">
          <span title="Venue">{instance.venue}</span> · <span title="Timeframe">{instance.timeframe}</span>
        </span>
      </td>
      <td className="sv-two sv-status-cell" title={statusText(instance)}>
        <span className="sv-line1">
          <span className={`sbadge sbadge-${instance.status}`} data-testid={`strategy-status-${instance.id}`}>
            {STATUS_LABEL[instance.status]}
          </span>
        </span>
        {instance.statusReason && <span className="sv-line2 sv-reason">{instance.statusReason}</span>}
      </td>
      <td
        className={`num ${positionSign > 0 ? 'pos' : positionSign < 0 ? 'neg' : 'muted'}`}
        title={a.entryPrice ? `Entry ${a.entryPrice}` : undefined}
      >
        {positionSign > 0 ? '+' : ''}
        {fmtQty(a.position, inst)}
      </td>
      <td className={`num ${pnlClass(a.realizedPnl)}`} title="Net of fees">
        {fmtMoney(a.realizedPnl, { signed: true, grouped: true })}
      </td>
      <td className={`num ${pnlClass(a.unrealizedPnl)}`}>{fmtMoney(a.unrealizedPnl, { signed: true, grouped: true })}</td>
      <td className="num">{fmtMoney(a.fees, { grouped: true })}</td>
      <td className="num">{a.trades}</td>
      <td className="num" title={`${a.wins} of ${a.trades} closed trades won`}>
        {fmtWinRate(a.winRatePct)}
      </td>
      <td className="num">{a.openOrders}</td>
      <td className="sv-two sv-signal" title={a.lastSignal ? `${fmtSince(a.lastSignal.time)} ${a.lastSignal.text}` : undefined}>
        {a.lastSignal ? (
          <>
            <span className="sv-line1">{a.lastSignal.text}</span>
            <span className="sv-line2 num-left">{fmtSince(a.lastSignal.time)}</span>
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="actions sv-actions">
        <span className="sv-act-group">
          {ROW_ACTIONS.map((action) => actionButton(action))}
          <button
            type="button"
            className="btn btn-xs btn-icon sv-act sv-act-edit"
            aria-label={`Edit ${title}`}
            title={canEdit(instance.status) ? 'Edit: change its parameters, name, limits and restart switch' : 'Edit: stop it first to change its parameters'}
            disabled={busy !== null || !canEdit(instance.status)}
            onClick={() => setEditing(true)}
          >
            <ActionIcon glyph="edit" />
          </button>
          {actionButton('delete')}
        </span>
        <ConfirmDialog
          open={confirming === 'flatten'}
          title={`Stop & flatten ${title}?`}
          confirmLabel="Stop & flatten"
          danger
          busy={busy === 'flatten'}
          onCancel={() => setConfirming(null)}
          onConfirm={() => void run('flatten')}
        >
          <p>
            Cancels {title}&apos;s own open orders ({a.openOrders}), closes its own position (
            {positionSign === 0 ? 'flat' : `${positionSign > 0 ? '+' : ''}${fmtQty(a.position, inst)} ${instance.symbol}`}) with a
            reduce-only market order, and stops it.
          </p>
          <p className="muted">Manual orders and other strategies&apos; orders are not touched.</p>
          {confirmError && (
            <p className="dialog-error" role="alert">
              {confirmError.message}
            </p>
          )}
        </ConfirmDialog>
        <ConfirmDialog
          open={confirming === 'delete'}
          title={`Delete ${title}?`}
          confirmLabel="Delete"
          danger
          busy={busy === 'delete'}
          onCancel={() => setConfirming(null)}
          onConfirm={() => void run('delete')}
        >
          <p>Deletes the instance and its settings. Its orders and fills stay in the books and the history.</p>
          {confirmError && (
            <p className="dialog-error" role="alert">
              {confirmError.message}
            </p>
          )}
        </ConfirmDialog>
        {editing && <EditStrategyDialog instance={instance} onClose={() => setEditing(false)} />}
      </td>
    </tr>
  );
}

export function StrategiesTable() {
  const strategies = useKeel((s) => s.strategies);
  const loaded = useKeel((s) => s.strategiesLoaded);
  const error = useKeel((s) => s.strategiesError);
  const counts = instanceCounts(strategies);
  const totals = instanceTotals(strategies);

  return (
    <section className="panel sv-instances" aria-label="Strategy instances">
      <div className="panel-title">
        <span>
          Instances <span className="count">{strategies.length}</span>
          {counts.running > 0 && <span className="count count-run">{counts.running} running</span>}
          {counts.paused > 0 && <span className="count count-warn">{counts.paused} paused</span>}
          {counts.error > 0 && <span className="count count-err">{counts.error} error</span>}
        </span>
        <span className="muted">PnL, fees and trades are each instance&apos;s own fills</span>
      </div>
      {error && (
        <div className="risk-error" role="alert">
          Could not load strategies: {error}
        </div>
      )}
      <div className="table-scroll">
        <table className="grid sv-table" aria-label="Strategies">
          <thead>
            <tr>
              <th scope="col">Strategy</th>
              <th scope="col">Market</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Position
              </th>
              <th scope="col" className="num" title="Realized PnL, net of fees">
                Realized
              </th>
              <th scope="col" className="num" title="Unrealized PnL of its own position">
                Unrealized
              </th>
              <th scope="col" className="num">
                Fees
              </th>
              <th scope="col" className="num">
                Trades
              </th>
              <th scope="col" className="num">
                Win rate
              </th>
              <th scope="col" className="num" title="Open orders">
                Orders
              </th>
              <th scope="col">Last signal</th>
              <th scope="col" className="actions">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {strategies.map((s) => (
              <StrategyRow key={s.id} instance={s} />
            ))}
          </tbody>
          {strategies.length > 1 && (
            <tfoot>
              <tr className="sv-totals">
                <th scope="row" colSpan={4}>
                  Total
                </th>
                <td className={`num ${pnlClass(totals.realizedPnl)}`}>{fmtMoney(totals.realizedPnl, { signed: true, grouped: true })}</td>
                <td className={`num ${pnlClass(totals.unrealizedPnl)}`}>
                  {fmtMoney(totals.unrealizedPnl, { signed: true, grouped: true })}
                </td>
                <td className="num">{fmtMoney(totals.fees, { grouped: true })}</td>
                <td className="num">{totals.trades}</td>
                <td className="num">{fmtWinRate(totals.winRatePct)}</td>
                <td className="num">{totals.openOrders}</td>
                <td />
                <td className="actions" />
              </tr>
            </tfoot>
          )}
        </table>
        {strategies.length === 0 && (
          <div className="table-empty">
            {loaded ? 'No strategy instances yet: choose one in the catalog and create it.' : 'Loading strategies…'}
          </div>
        )}
      </div>
    </section>
  );
}
