/**
 * Signals on the journal's SQLite database (tables from migration 13): one
 * row per signal with its record as JSON and the columns its listings filter
 * and sort on, and the orders it caused in `signal_orders`, oldest first.
 * Records are checked against the contract on the way in and out; a listing
 * reads each signal's orders in the same statement.
 */
import type Database from 'better-sqlite3';
import { writeTransactions } from './writeTransactions';
import { signalSchema, type ListSignalsParams, type Signal } from '../../shared/contract/signals';
import { errorText } from '../../shared/errors';
import { toJsonText } from '../core/jsonText';
import { checkedSignal, duplicateSignal, listLimit, type SignalChange, type SignalStore } from '../ml/signals/signalStore';

interface SignalRow {
  body: string;
  /** JSON array of order ids, oldest link first. */
  orders: string;
}

/** The body is the signal less its orders, which live in their own table. */
type Body = Omit<Signal, 'orderIds'>;

const SELECT = `SELECT body, (SELECT json_group_array(order_id ORDER BY seq) FROM signal_orders o WHERE o.signal_id = s.id) AS orders FROM signals s`;
const NEWEST_FIRST = 'ORDER BY time DESC, created_at DESC, seq DESC';

function parse(row: SignalRow): Signal {
  try {
    return signalSchema.parse({ ...(JSON.parse(row.body) as object), orderIds: JSON.parse(row.orders) as unknown });
  } catch (error) {
    throw new Error(`Unreadable signal in the journal: ${errorText(error)}`);
  }
}

function bodyText(signal: Signal): string {
  const { orderIds: _orders, ...body } = signal;
  return toJsonText(body satisfies Body, `Signal ${signal.id}`);
}

/** The WHERE clause of a listing and its values, in one fixed order so each combination of filters prepares once. */
function where(filter: ListSignalsParams): { key: string; sql: string; values: Array<string | number> } {
  const clauses: Array<[sql: string, value: string | number | undefined]> = [
    ['strategy_id = ?', filter.strategyId],
    ['venue = ?', filter.venue],
    ['symbol = ?', filter.symbol],
    ['model_id = ?', filter.modelId],
    ['id IN (SELECT signal_id FROM signal_orders WHERE order_id = ?)', filter.orderId],
    ['time < ?', filter.before],
  ];
  const given = clauses.filter((c): c is [string, string | number] => c[1] !== undefined);
  const sql = given.map(([clause]) => clause).join(' AND ');
  return { key: sql, sql: sql ? `WHERE ${sql}` : '', values: given.map(([, value]) => value) };
}

export class SqliteSignalStore implements SignalStore {
  private readonly s: Record<string, Database.Statement>;
  private readonly listings = new Map<string, Database.Statement>();
  private readonly write: <T>(fn: () => T) => T;

  constructor(private readonly db: Database.Database) {
    this.write = writeTransactions(db);
    this.s = {
      insert: db.prepare(
        'INSERT INTO signals (id, time, venue, symbol, model_id, strategy_id, acted, created_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      exists: db.prepare('SELECT 1 FROM signals WHERE id = ?'),
      link: db.prepare('INSERT OR IGNORE INTO signal_orders (signal_id, order_id) VALUES (?, ?)'),
      decide: db.prepare('UPDATE signals SET acted = ?, body = ? WHERE id = ?'),
      get: db.prepare(`${SELECT} WHERE id = ?`),
      count: db.prepare('SELECT count(*) AS n FROM signals'),
      prune: db.prepare('DELETE FROM signals WHERE seq IN (SELECT seq FROM signals ORDER BY time, created_at, seq LIMIT ?)'),
    };
  }

  insert(signal: Signal): void {
    const checked = checkedSignal(signal);
    const body = bodyText(checked);
    this.write(() => {
      if (this.s.exists!.get(checked.id)) throw duplicateSignal(checked.id);
      this.s.insert!.run(
        checked.id,
        checked.time,
        checked.venue,
        checked.symbol,
        checked.modelId,
        checked.strategyId,
        checked.acted ? 1 : 0,
        checked.createdAt,
        body,
      );
      for (const orderId of checked.orderIds) this.s.link!.run(checked.id, orderId);
    });
  }

  setDecision(id: string, acted: boolean, note: string): SignalChange | undefined {
    return this.write((): SignalChange | undefined => {
      const current = this.get(id);
      if (!current) return undefined;
      if (current.acted === acted && current.note === note) return { signal: current, changed: false };
      const next = checkedSignal({ ...current, acted, note });
      this.s.decide!.run(acted ? 1 : 0, bodyText(next), id);
      return { signal: next, changed: true };
    });
  }

  linkOrder(signalId: string, orderId: string): SignalChange | undefined {
    return this.write((): SignalChange | undefined => {
      if (!this.s.exists!.get(signalId)) return undefined;
      const changed = this.s.link!.run(signalId, orderId).changes > 0;
      return { signal: this.get(signalId)!, changed };
    });
  }

  get(id: string): Signal | undefined {
    const row = this.s.get!.get(id) as SignalRow | undefined;
    return row ? parse(row) : undefined;
  }

  list(filter: ListSignalsParams): Signal[] {
    const { key, sql, values } = where(filter);
    let statement = this.listings.get(key);
    if (!statement) {
      statement = this.db.prepare(`${SELECT} ${sql} ${NEWEST_FIRST} LIMIT ?`);
      this.listings.set(key, statement);
    }
    return (statement.all(...values, listLimit(filter)) as SignalRow[]).map(parse);
  }

  count(): number {
    return (this.s.count!.get() as { n: number }).n;
  }

  prune(keep: number): number {
    return this.write(() => {
      const excess = this.count() - Math.max(0, keep);
      // Links go with their signal (ON DELETE CASCADE).
      return excess > 0 ? this.s.prune!.run(excess).changes : 0;
    });
  }
}
