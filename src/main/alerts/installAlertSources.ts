/**
 * The engine's events that deserve the trader's attention, raised as alerts
 * through an AlertSink: fills, orders the risk stage refused for a strategy
 * or an API client (a person at the desk sees their own refusal at once),
 * trading halted or reduced by a limit, the emergency stop's report, a
 * strategy stopping on an error, reconciliation differences, a venue lost
 * (and back), margin warnings and liquidations, and price alerts firing.
 * Crashes reach the sink from the composition root's unexpected-error path.
 */
import type { EventPayload, EventTopic } from '../../shared/contract';
import type { BusListener } from '../engine/bus';
import type { StateChange } from '../../shared/risk';
import type { AlertInput, AlertSink } from './alertSink';

export interface AlertSourceBus {
  subscribe(listener: BusListener, topics?: readonly EventTopic[]): () => void;
}

export interface AlertSourceOptions {
  /** The risk governor's latest state change (who moved the trading state, and why). */
  lastStateChange(): StateChange | undefined;
  /** Whether the emergency stop that reported with this trigger was told by a desktop notice of the shell's own (Electron's hotkey, tray and menu). */
  emergencyShownByShell?: (trigger: string) => boolean;
}

const TOPICS = [
  'fills.new',
  'orders.denied',
  'risk.state',
  'emergency.report',
  'strategies.updated',
  'reconciliation.updated',
  'system.health',
  'positions.marginAlert',
  'alerts.price.triggered',
] as const satisfies readonly EventTopic[];

/** Reports whose differences were already raised: a resolution republishes the same report. */
const REPORTS_REMEMBERED = 200;
const DETAILS_LISTED = 5;

const sideWord = (side: 'buy' | 'sell') => (side === 'buy' ? 'Buy' : 'Sell');

export function installAlertSources(bus: AlertSourceBus, sink: AlertSink, options: AlertSourceOptions): () => void {
  const strategyStatus = new Map<string, string>();
  const venueState = new Map<string, string>();
  /** Venues told as lost and not yet back to ready (they pass through reconciling on the way). */
  const lost = new Set<string>();
  const reportsSeen: string[] = [];

  const on = {
    'fills.new': (f: EventPayload<'fills.new'>): AlertInput | null =>
      // A liquidation's fill is told by the liquidation alert.
      f.liquidation
        ? null
        : {
            kind: 'fill',
            severity: 'info',
            title: `Filled: ${sideWord(f.side)} ${f.quantity} ${f.symbol}`,
            body: `At ${f.price} on ${f.venue} (${f.liquidity}); fee ${f.fee} ${f.feeCurrency}.`,
            venue: f.venue,
            symbol: f.symbol,
            subjectId: f.orderId,
          },
    'orders.denied': (d: EventPayload<'orders.denied'>): AlertInput | null =>
      d.source === 'manual'
        ? null
        : {
            kind: 'riskBreach',
            severity: 'warning',
            title: `Order refused: ${sideWord(d.side)} ${d.quantity} ${d.symbol}${d.sourceId ? ` (${d.source} ${d.sourceId})` : ` (${d.source})`}`,
            body: `${d.message} (check: ${d.check}${d.limit ? `, limit: ${d.limit}` : ''}).`,
            venue: d.venue,
            symbol: d.symbol,
            ...(d.sourceId ? { subjectId: d.sourceId } : {}),
          },
    'risk.state': (s: EventPayload<'risk.state'>): AlertInput | null => {
      if (s.state === 'ACTIVE') return null;
      const change = options.lastStateChange();
      // The trader's own move needs no alert, and the emergency stop has its own.
      if (!change || change.to !== s.state || change.at !== s.since || change.source !== 'limit') return null;
      return s.state === 'HALTED'
        ? { kind: 'riskBreach', severity: 'critical', title: 'Trading halted by a risk limit', body: `${s.reason ?? change.reason}. Only cancels are allowed until you re-arm.` }
        : { kind: 'riskBreach', severity: 'warning', title: 'Trading reduced to closing positions', body: `${s.reason ?? change.reason}. Only orders that reduce exposure are allowed.` };
    },
    'emergency.report': (r: EventPayload<'emergency.report'>): AlertInput => ({
      kind: 'emergencyStop',
      severity: 'critical',
      title: `Emergency stop (${r.trigger}): trading halted`,
      body: [
        `${r.ordersCanceled} order${r.ordersCanceled === 1 ? '' : 's'} canceled${r.flatten ? `, ${r.positionsClosed} position${r.positionsClosed === 1 ? '' : 's'} closed` : ''}.`,
        r.complete
          ? 'Everything was confirmed by the venues.'
          : `Not confirmed: ${r.unconfirmed
              .slice(0, DETAILS_LISTED)
              .map((u) => `${u.kind} ${u.target} on ${u.venue} (${u.reason})`)
              .join('; ')}${r.unconfirmed.length > DETAILS_LISTED ? ` and ${r.unconfirmed.length - DETAILS_LISTED} more` : ''}.`,
        'Trading stays halted until you re-arm.',
      ].join(' '),
      subjectId: r.id,
      ...(options.emergencyShownByShell?.(r.trigger) ? { desktopShown: true } : {}),
    }),
    'strategies.updated': (s: EventPayload<'strategies.updated'>): AlertInput | null => {
      const before = strategyStatus.get(s.id);
      strategyStatus.set(s.id, s.status);
      if (s.status !== 'error' || before === 'error') return null;
      return {
        kind: 'strategyError',
        severity: 'critical',
        title: `Strategy ${s.name} stopped on an error`,
        body: `${s.statusReason ?? 'No reason was given.'} (${s.type} on ${s.symbol}, ${s.venue}).`,
        venue: s.venue,
        symbol: s.symbol,
        subjectId: s.id,
      };
    },
    'reconciliation.updated': (r: EventPayload<'reconciliation.updated'>): AlertInput | null => {
      if (reportsSeen.includes(r.id)) return null;
      reportsSeen.push(r.id);
      if (reportsSeen.length > REPORTS_REMEMBERED) reportsSeen.shift();
      const open = r.items.filter((i) => i.kind !== 'matched' && i.resolution === null);
      if (open.length === 0 && r.ok) return null;
      const details = open.slice(0, DETAILS_LISTED).map((i) => i.detail);
      return {
        kind: 'reconciliation',
        severity: r.ok ? 'warning' : 'critical',
        title: `Reconciliation of ${r.venue}: ${open.length} difference${open.length === 1 ? '' : 's'}${r.ok ? '' : ', venue blocked'}`,
        body: [
          ...(r.ok ? [] : [`The venue stays blocked${r.reason ? `: ${r.reason}` : ''}.`]),
          ...details,
          ...(open.length > DETAILS_LISTED ? [`And ${open.length - DETAILS_LISTED} more; see Reconciliation.`] : []),
        ].join(' '),
        venue: r.venue,
        subjectId: r.id,
      };
    },
    'positions.marginAlert': (m: EventPayload<'positions.marginAlert'>): AlertInput => ({
      kind: m.kind === 'liquidated' ? 'liquidation' : 'marginWarning',
      severity: m.kind === 'liquidated' ? 'critical' : 'warning',
      title: m.kind === 'liquidated' ? `Liquidated: ${m.side} ${m.symbol} on ${m.venue}` : `Margin warning: ${m.side} ${m.symbol} on ${m.venue}`,
      body: m.message,
      venue: m.venue,
      symbol: m.symbol,
    }),
    'alerts.price.triggered': (p: EventPayload<'alerts.price.triggered'>): AlertInput => ({
      kind: 'priceAlert',
      severity: 'info',
      title: `Price alert: ${p.symbol}`,
      body: `${p.message ?? `${p.symbol} reached its alert.`}${p.note ? ` (${p.note})` : ''}`,
      venue: p.venue,
      symbol: p.symbol,
      subjectId: p.id,
    }),
  };

  const venueAlerts = (h: EventPayload<'system.health'>): AlertInput[] => {
    const raised: AlertInput[] = [];
    for (const v of h.venues) {
      const before = venueState.get(v.venue);
      venueState.set(v.venue, v.state);
      if (v.state === before) continue;
      if (v.state === 'disconnected') {
        lost.add(v.venue);
        raised.push({
          kind: 'venueDisconnected',
          severity: 'critical',
          title: `Venue ${v.venue} disconnected`,
          body: `${v.reason ?? 'The connection was lost.'} New orders on it are refused until it is back and reconciled.`,
          venue: v.venue,
        });
      } else if (v.state === 'ready' && lost.delete(v.venue)) {
        raised.push({ kind: 'venueDisconnected', severity: 'info', title: `Venue ${v.venue} is back`, body: 'Reconnected and reconciled; trading on it is open again.', venue: v.venue });
      }
    }
    return raised;
  };

  return bus.subscribe((topic, payload) => {
    let alerts: Array<AlertInput | null>;
    switch (topic) {
      case 'risk.state': {
        // The governor announces a new state before it journals the change that says who made it: read that once it is kept.
        const state = payload as EventPayload<'risk.state'>;
        queueMicrotask(() => {
          const alert = on['risk.state'](state);
          if (alert) sink.raise(alert);
        });
        return;
      }
      case 'system.health':
        alerts = venueAlerts(payload as EventPayload<'system.health'>);
        break;
      case 'fills.new':
      case 'orders.denied':
      case 'emergency.report':
      case 'strategies.updated':
      case 'reconciliation.updated':
      case 'positions.marginAlert':
      case 'alerts.price.triggered':
        alerts = [(on[topic as keyof typeof on] as (p: unknown) => AlertInput | null)(payload)];
        break;
      default:
        return;
    }
    for (const alert of alerts) if (alert) sink.raise(alert);
  }, TOPICS);
}
