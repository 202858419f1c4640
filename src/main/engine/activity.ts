/**
 * The activity log: everything that happened, journaled and published, in
 * words a trader reads. It stays bounded two ways: a burst of identical
 * refusals becomes at most two entries per kind per second (the first at
 * once, then one with the count), and a retention policy prunes old rows in
 * small batches in the background.
 */
import type { Activity } from '../../shared/domain';
import type { EventBus } from './bus';
import type { Clock, TimerHandle } from './ports/clock';
import { consoleLogger, type Logger } from './ports/logger';
import type { EngineJournal } from './ports/journal';
import { shorten } from '../../shared/errors';

/** How long repeated refusals of one kind are counted into one entry. */
export const DENIAL_WINDOW_MS = 1_000;
/** Refusals echo what the caller sent, so every string they carry is cut to this length. */
export const MAX_FIELD_CHARS = 200;
/** Distinct refusal kinds counted at once; beyond this, further kinds share one overflow count. */
export const MAX_OPEN_DENIAL_KINDS = 64;
const MAX_ITEMS = 20;
const MAX_DEPTH = 4;
const OVERFLOW_KEY = '\u0000other kinds';
/** Distinct kinds remembered inside the overflow count, only to say roughly how many there were. */
const MAX_COUNTED_KINDS = 1_000;

interface DenialWindow {
  endsAt: number;
  firstId: number;
  level: Activity['level'];
  category: Activity['category'];
  /** The latest message and data of this kind, reported with the count. */
  message: string;
  data: unknown;
  repeats: number;
  kinds: Set<string>;
  timer: TimerHandle;
}

export class ActivityLog {
  private readonly denials = new Map<string, DenialWindow>();

  constructor(
    private readonly journal: EngineJournal,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly log: Logger = consoleLogger,
  ) {}

  /** Where failures to write the log itself are reported. */
  get logger(): Logger {
    return this.log;
  }

  record(level: Activity['level'], category: Activity['category'], message: string, data?: unknown): Activity {
    const entry = this.journal.appendActivity({
      timestamp: this.clock.now(),
      level,
      category,
      message,
      ...(data === undefined ? {} : { data }),
    });
    this.bus.publish('activity.new', entry);
    return entry;
  }

  /**
   * Records a refusal so that a flood of them cannot grow the journal without
   * bound. The first refusal of a `key` is written at once (a single refusal
   * is visible immediately); the same key again within DENIAL_WINDOW_MS is
   * only counted, and when the window closes one entry "… (repeated N more
   * times in the last second)" carries `data.count = N`. Strings in the
   * message and data are cut to MAX_FIELD_CHARS. Returns the entry when one
   * was written now.
   */
  recordDenial(
    key: string,
    level: Activity['level'],
    category: Activity['category'],
    message: string,
    data?: unknown,
  ): Activity | undefined {
    const now = this.clock.now();
    const kind = truncate(key);
    this.expire(kind, now);
    let windowKey = kind;
    if (!this.denials.has(kind) && this.denials.size >= MAX_OPEN_DENIAL_KINDS) {
      for (const k of [...this.denials.keys()]) this.expire(k, now);
      // Varying the key per call must not defeat the bound: kinds beyond the cap share one count.
      if (this.denials.size >= MAX_OPEN_DENIAL_KINDS) windowKey = OVERFLOW_KEY;
    }
    const open = this.denials.get(windowKey);
    const boundedMessage = truncate(message);
    const boundedData = data === undefined ? undefined : bound(data, 0);
    if (open) {
      open.repeats += 1;
      if (open.kinds.size < MAX_COUNTED_KINDS) open.kinds.add(kind);
      open.message = boundedMessage;
      open.data = boundedData;
      return undefined;
    }
    const entry = this.record(level, category, boundedMessage, boundedData);
    const opened = windowKey;
    this.denials.set(opened, {
      endsAt: now + DENIAL_WINDOW_MS,
      firstId: entry.id,
      level,
      category,
      message: boundedMessage,
      data: boundedData,
      repeats: 0,
      kinds: new Set([kind]),
      timer: this.clock.after(DENIAL_WINDOW_MS, () => this.closeWindow(opened)),
    });
    return entry;
  }

  /** Writes the counts still being gathered; called on shutdown so no refusal goes unreported. */
  flush(): void {
    for (const key of [...this.denials.keys()]) this.closeWindow(key);
  }

  /** Closes the window of `key` if its second is over, even when its timer has not fired yet (a busy event loop). */
  private expire(key: string, now: number): void {
    const open = this.denials.get(key);
    if (open && now >= open.endsAt) this.closeWindow(key);
  }

  private closeWindow(key: string): void {
    const open = this.denials.get(key);
    if (!open) return;
    this.denials.delete(key);
    open.timer.cancel();
    if (open.repeats === 0) return;
    const n = open.repeats;
    const times = `${n} more time${n === 1 ? '' : 's'}`;
    const message =
      key === OVERFLOW_KEY
        ? `Refused ${times} in the last second, for other reasons (too many kinds to list each).`
        : `${open.message} (repeated ${times} in the last second)`;
    const details = key === OVERFLOW_KEY || open.data === undefined ? {} : isPlainObject(open.data) ? open.data : { detail: open.data };
    const data = {
      ...details,
      count: n,
      firstId: open.firstId,
      ...(key === OVERFLOW_KEY ? { kinds: open.kinds.size, kindsCapped: open.kinds.size >= MAX_COUNTED_KINDS } : {}),
    };
    try {
      this.record(open.level, open.category, message, data);
    } catch (error) {
      // Runs from a timer: a journal failure here is reported, never thrown into the clock.
      this.log.error('[activity] could not record repeated refusals', error);
    }
  }
}

function truncate(text: string): string {
  return shorten(text, MAX_FIELD_CHARS);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of `value` with every string cut, and arrays, objects and nesting capped. */
function bound(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return truncate(value);
  if (typeof value === 'bigint') return truncate(value.toString());
  if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => bound(v, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `… ${value.length - MAX_ITEMS} more`] : items;
  }
  const entries = Object.entries(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries.slice(0, MAX_ITEMS)) out[truncate(k)] = bound(v, depth + 1);
  if (entries.length > MAX_ITEMS) out['…'] = `${entries.length - MAX_ITEMS} more fields`;
  return out;
}

export interface RetentionPolicy {
  /** Rows older than this many days are deleted. */
  days: number;
  /** Only the newest this many rows are kept. */
  rows: number;
}

export interface ActivityPrunerOptions {
  /** Time between runs after the first, which starts with the engine. */
  intervalMs?: number;
  /** Rows deleted per transaction; the journal writer is never held longer than one batch. */
  batchSize?: number;
  /** Lets other work (orders, fills) reach the journal between batches. */
  yieldToEventLoop?: () => Promise<void>;
}

const DAY_MS = 86_400_000;

/**
 * Applies the activity retention policy in the background: once on start,
 * then every `intervalMs`, and on demand when the policy changes. Deletes in
 * batches of `batchSize` rows, each its own transaction, yielding between
 * them. Says so in the activity log only when something was removed.
 */
export class ActivityPruner {
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly yieldToEventLoop: () => Promise<void>;
  private timer: TimerHandle | null = null;
  private running: Promise<number> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly journal: EngineJournal,
    private readonly activity: ActivityLog,
    private readonly clock: Clock,
    private readonly policy: () => RetentionPolicy,
    options: ActivityPrunerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 3_600_000;
    this.batchSize = options.batchSize ?? 5_000;
    this.yieldToEventLoop = options.yieldToEventLoop ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  }

  start(): void {
    if (this.timer) return;
    this.stopped = false;
    void this.runNow();
    this.timer = this.clock.every(this.intervalMs, () => void this.runNow());
  }

  /** Prunes now; a call while a run is going makes that run go once more with the current policy. Resolves to the rows deleted. */
  runNow(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = this.loop().finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }

  /** Stops the schedule and waits for a run in progress to end after its current batch. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    await this.running;
  }

  private async loop(): Promise<number> {
    let total = 0;
    do {
      this.again = false;
      total += await this.prune();
    } while (this.again && !this.stopped);
    return total;
  }

  private async prune(): Promise<number> {
    const policy = this.policy();
    const olderThan = this.clock.now() - policy.days * DAY_MS;
    let deleted = 0;
    try {
      while (!this.stopped) {
        const n = this.journal.pruneActivity({ olderThan, keepNewest: policy.rows, limit: this.batchSize });
        deleted += n;
        if (n < this.batchSize) break;
        await this.yieldToEventLoop();
      }
    } catch (error) {
      // A failed run leaves the rest for the next one; it must not take the engine down.
      this.activity.logger.error('[activity] pruning the activity log failed', error);
    }
    if (deleted > 0) {
      this.activity.record(
        'info',
        'system',
        `Activity log pruned: ${deleted} ${deleted === 1 ? 'entry' : 'entries'} older than ${policy.days} days or beyond the newest ${policy.rows}.`,
        { deleted, retentionDays: policy.days, retentionRows: policy.rows },
      );
    }
    return deleted;
  }
}
