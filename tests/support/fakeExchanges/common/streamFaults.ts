/**
 * The armed faults of a fake exchange's private stream: what the next
 * matching push(es) suffer (skipped, sent twice, the connections dropped, …).
 * Each exchange says which pushes a fault strikes; Bybit's and OKX's streams
 * share the rest of their account-push plumbing here too (AccountStream).
 */
import type { WebSocket } from 'ws';

export interface StreamFaultHandle {
  remaining(): number;
  cancel(): void;
}

export class ArmedStreamFaults<S extends { action: string; times?: number }> {
  private armed: Array<{ spec: S; remaining: number }> = [];

  /** Arms a fault for the next `spec.times` (default 1) pushes it strikes. */
  inject(spec: S): StreamFaultHandle {
    const entry = { spec, remaining: spec.times ?? 1 };
    this.armed.push(entry);
    return {
      remaining: () => entry.remaining,
      cancel: () => {
        this.armed = this.armed.filter((a) => a !== entry);
      },
    };
  }

  /** The action of the first armed fault that `strikes` this push, spending one of its times. */
  take(strikes: (spec: S) => boolean): S['action'] | undefined {
    const hit = this.armed.find((a) => a.remaining > 0 && strikes(a.spec));
    if (hit === undefined) return undefined;
    hit.remaining -= 1;
    if (hit.remaining <= 0) this.armed = this.armed.filter((a) => a !== hit);
    return hit.spec.action;
  }
}

/** What a fault does to an account push on Bybit's and OKX's private streams. */
export type PushFault = 'skip' | 'duplicate' | 'drop';

export type Delivery = 'sent' | 'duplicated' | 'skipped' | 'dropped' | 'no-listener';

/**
 * The side of a private stream that is no exchange's own: its connections,
 * the log of every push with what became of it, and the armed faults a push
 * meets. Each exchange's stream adds its login, subscriptions and payloads.
 */
export abstract class AccountStream<C, S extends { action: PushFault; times?: number }, R extends { seq: number; delivery: Delivery }> {
  protected readonly connections = new Map<WebSocket, C>();
  private readonly faults = new ArmedStreamFaults<S>();
  private readonly log: R[] = [];
  private nextSeq = 1;

  inject(spec: S): StreamFaultHandle {
    return this.faults.inject(spec);
  }

  /** Closes every connection abruptly (no close frame), as a network drop does. */
  dropConnections(): void {
    for (const socket of this.connections.keys()) socket.terminate();
    this.connections.clear();
  }

  /** Everything the account pushed, with what became of each push. */
  history(): R[] {
    return this.log.map((r) => ({ ...r }));
  }

  close(): void {
    this.dropConnections();
  }

  /**
   * Logs a push and sends each listener its text, under the first armed fault
   * that `strikes` it: skipped, sent twice, or every connection dropped instead.
   * A push no one listens to spends no fault.
   */
  protected push(fields: Omit<R, 'seq' | 'delivery'>, listeners: Array<[WebSocket, string]>, strikes: (spec: S) => boolean): void {
    const record = { seq: this.nextSeq++, ...fields, delivery: 'sent' } as R;
    this.log.push(record);
    if (listeners.length === 0) {
      record.delivery = 'no-listener';
      return;
    }
    const fault = this.faults.take(strikes);
    if (fault === 'skip') {
      record.delivery = 'skipped';
      return;
    }
    if (fault === 'drop') {
      record.delivery = 'dropped';
      this.dropConnections();
      return;
    }
    for (const [socket, text] of listeners) {
      if (socket.readyState !== socket.OPEN) continue;
      socket.send(text);
      if (fault === 'duplicate') socket.send(text);
    }
    if (fault === 'duplicate') record.delivery = 'duplicated';
  }
}
