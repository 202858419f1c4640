/**
 * The regime answers of `regime.current`, kept current between questions.
 *
 * The workstation asks for every watchlist instrument at once, every 30 s
 * and after each bar closes. Classifying each one afresh over its last
 * 1,500 bars held the engine's thread for most of a second per round. Here
 * each instrument's classifier is kept and fed only the bars closed since
 * the last answer: a round costs a few bar updates per instrument.
 *
 * A kept classifier is trusted only while the history still agrees with it:
 * the bar it was last fed must come back unchanged in the next read (a
 * revised or refilled history starts it over), and a gap longer than one
 * full read starts it over too. Starting over reads the whole history; such
 * full reads take turns of the event loop one by one, so a round of them
 * (the first, when the view opens) never holds the thread as one block.
 *
 * Every input of the classifier is a trailing window except ADX's Wilder
 * smoothing, whose weight on a bar 1,500 bars back is (13/14)^1500, far below
 * a double's precision: an instrument followed for hours answers as one read
 * afresh over its last 1,500 bars does. One edge differs: a label that held
 * through all 1,500 bars is dated from the first of them, where a fresh read
 * dates it from the first bar past its warm-up.
 */
import type { Bar, Timeframe } from '../../../shared/domain';
import { TIMEFRAME_MS } from '../../../shared/domain';
import type { RegimeView } from '../../../shared/contract/ml';
import { REGIME_HISTORY_BARS, RegimeState } from './regimeView';

/** Instruments followed at once; the one asked about least recently is dropped past it. */
export const MAX_TRACKED_REGIMES = 256;

export interface RegimeQuestion {
  venue: string;
  symbol: string;
  timeframe: Timeframe;
  /** A bar that opened at or before this time has closed (now, less one timeframe); the one still forming would give a label that changes within its bar. */
  closedBefore: number;
  historyLength: number;
}

/** The newest `limit` bars of the instrument, oldest first; the one still forming may be among them. */
export type ReadBars = (limit: number) => Promise<Bar[]>;

export interface RegimeTrackerOptions {
  maxTracked?: number;
  /** Lets other work run before a full read is classified; default one `setImmediate` turn. */
  yieldTurn?: () => Promise<void>;
}

interface Followed {
  state: RegimeState;
  /** Answers for this instrument run one after another: a state is never fed by two at once. */
  queue: Promise<unknown>;
}

export class RegimeTracker {
  private readonly followed = new Map<string, Followed>();
  private readonly maxTracked: number;
  private readonly yieldTurn: () => Promise<void>;
  /** The last full read's turn: the next one waits for it, then for a turn of its own. */
  private fullReads: Promise<void> = Promise.resolve();
  /** Full reads classified so far. */
  rebuilds = 0;

  constructor(options: RegimeTrackerOptions = {}) {
    this.maxTracked = options.maxTracked ?? MAX_TRACKED_REGIMES;
    this.yieldTurn = options.yieldTurn ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  }

  current(question: RegimeQuestion, read: ReadBars): Promise<RegimeView> {
    const key = `${question.venue}\n${question.symbol}\n${question.timeframe}`;
    let followed = this.followed.get(key);
    if (followed) this.followed.delete(key); // re-inserted below: the map's order is the order of last use
    else followed = { state: new RegimeState(), queue: Promise.resolve() };
    this.followed.set(key, followed);
    this.forgetLeastRecent();
    const entry = followed;
    const answer = entry.queue.then(() => this.answer(entry, question, read));
    // The next question waits for this one, answered or failed.
    entry.queue = answer.catch(() => undefined);
    return answer;
  }

  private async answer(entry: Followed, question: RegimeQuestion, read: ReadBars): Promise<RegimeView> {
    const closed = (bars: Bar[]) => bars.filter((b) => b.time <= question.closedBefore);
    const last = entry.state.lastBar;
    if (last !== null) {
      const tfMs = TIMEFRAME_MS[question.timeframe];
      // The bars closed since the last one fed, the last one itself, and the one still forming.
      const limit = Math.max(0, Math.floor((question.closedBefore - last.time) / tfMs)) + 2;
      if (limit <= REGIME_HISTORY_BARS) {
        const bars = closed(await read(limit));
        const at = bars.findIndex((b) => b.time === last.time);
        if (at >= 0 && sameBar(bars[at]!, last)) {
          for (let i = at + 1; i < bars.length; i++) entry.state.feed(bars[i]!);
          return entry.state.view(question.venue, question.symbol, question.timeframe, question.historyLength);
        }
      }
    }
    // Full reads take turns, each on a turn of the event loop of its own: a round asked all at once would
    // otherwise read and classify every instrument's whole history in one turn.
    const turn = this.fullReads.then(this.yieldTurn);
    this.fullReads = turn;
    await turn;
    const bars = closed(await read(REGIME_HISTORY_BARS));
    this.rebuilds += 1;
    entry.state = new RegimeState();
    for (const bar of bars) entry.state.feed(bar);
    return entry.state.view(question.venue, question.symbol, question.timeframe, question.historyLength);
  }

  private forgetLeastRecent(): void {
    while (this.followed.size > this.maxTracked) {
      const oldest = this.followed.keys().next().value as string;
      this.followed.delete(oldest);
    }
  }
}

function sameBar(a: Bar, b: Bar): boolean {
  return a.open === b.open && a.high === b.high && a.low === b.low && a.close === b.close && a.volume === b.volume;
}
