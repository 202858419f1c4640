/**
 * The engine's one entry for commands, whoever sends them: the trader
 * through the host, strategies through their context, the engine itself
 * (sweeps, reconciliation). Queued commands run one at a time in arrival
 * order, each from a clean stack once the one before it has finished, so a
 * subscriber that reacts to an event by sending a command never runs inside
 * the command that caused the event. The urgent lane (the emergency stop,
 * escalating the trading state) runs at once, ahead of everything queued:
 * those only ever stop trading and must not wait behind a slow venue.
 */
export class CommandQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** Runs `command` after every command queued before it has finished; answers what it answers. */
  run<T>(command: () => Promise<T> | T): Promise<T> {
    this.waiting += 1;
    const done = () => {
      this.waiting -= 1;
    };
    const next = this.tail.then(command, command);
    next.then(done, done);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Runs `command` now, not behind the queue. */
  urgent<T>(command: () => Promise<T> | T): Promise<T> {
    try {
      return Promise.resolve(command());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Commands queued or running. */
  get size(): number {
    return this.waiting;
  }

  /** Resolves once every command queued so far has finished (an orderly shutdown). */
  async drained(): Promise<void> {
    while (this.waiting > 0) await this.tail;
  }
}
