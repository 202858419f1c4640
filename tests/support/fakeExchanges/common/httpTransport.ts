/**
 * The HTTP side every fake exchange shares: reading a request body, writing an
 * answer, and what an armed fault does to a request (answer in its place,
 * answer late, never answer, drop the connection before or after the exchange
 * acted), with the request journal told how each request ended.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultAction } from './faults';
import type { JournalEntry } from './journal';

export interface Answer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** What the exchange's logic made of a request: its answer, whether it acted, and its error code if it refused. */
export interface Outcome {
  answer: Answer;
  processed: boolean;
  code: number | undefined;
}

export type InjectedAction = Extract<FaultAction, { type: 'status' | 'reject' }>;

/** An injected status's body as sent: none, text as is, or an object as JSON. */
export function injectedBody(action: Extract<InjectedAction, { type: 'status' }>): string {
  return action.body === undefined ? '' : typeof action.body === 'string' ? action.body : JSON.stringify(action.body);
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Writes an answer unless the client has gone (a timeout, a reset); says whether it was written. */
export function send(res: ServerResponse, answer: Answer): boolean {
  if (res.destroyed || res.socket === null || res.socket.destroyed) return false;
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
  return true;
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function clientIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
}

function settle(entry: JournalEntry, outcome: Outcome): void {
  entry.processed = outcome.processed;
  entry.status = outcome.answer.status;
  entry.code = outcome.code;
  entry.outcome = outcome.answer.status === 200 && outcome.code === undefined ? 'ok' : 'error';
}

/** Sleeps that a closing server can cut short, so no timer outlives it. */
export class Sleeper {
  private readonly timers = new Set<NodeJS.Timeout>();

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

export interface FaultedRequest {
  req: IncomingMessage;
  res: ServerResponse;
  entry: JournalEntry;
  /** The fault this request meets, if any (already taken from the queue). */
  fault: FaultAction | undefined;
  /** Runs the exchange's logic on the request. */
  run: () => Outcome;
  /** The exchange's own answer for an injected status or reject, and the error code it carries. */
  injected: (action: InjectedAction) => { answer: Answer; code: number | undefined };
  sleeper: Sleeper;
  closing: () => boolean;
}

/** Serves one API request under its fault: the journal entry records what happened and whether the exchange acted. */
export async function serveWithFault(request: FaultedRequest): Promise<void> {
  const { req, res, entry, fault, run } = request;
  entry.fault = fault?.type;
  switch (fault?.type) {
    case undefined: {
      const outcome = run();
      settle(entry, outcome);
      send(res, outcome.answer);
      return;
    }
    case 'status':
    case 'reject': {
      const { answer, code } = request.injected(fault);
      if (fault.process === true) entry.processed = run().processed;
      entry.outcome = answer.status === 200 && code === undefined ? 'ok' : 'error';
      entry.status = answer.status;
      entry.code = code;
      send(res, answer);
      return;
    }
    case 'delay': {
      await request.sleeper.sleep(fault.ms);
      if (request.closing()) return;
      const outcome = run();
      settle(entry, outcome);
      send(res, outcome.answer);
      return;
    }
    case 'hang':
      entry.outcome = 'hang';
      return;
    case 'reset':
      entry.outcome = 'reset';
      req.socket.destroy();
      return;
    case 'loseResponse': {
      const outcome = run();
      settle(entry, outcome);
      entry.outcome = 'lost';
      req.socket.destroy();
      return;
    }
  }
}
