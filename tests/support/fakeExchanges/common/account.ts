/**
 * What the fake accounts of Bybit and OKX share beneath their own matching
 * rules: the marks of their instruments (each with its history) and the
 * leverage set on each, the listeners told of every change, and reading a
 * request's fields that came as JSON text or numbers.
 */
import type { Dec } from './decimal';

export interface MarkPoint {
  time: number;
  price: Dec;
}

/** Marks and leverage by instrument (a symbol or an instId). */
export class MarkBook {
  private readonly marks = new Map<string, Dec>();
  private readonly history = new Map<string, MarkPoint[]>();
  private readonly leverage = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** Lists an instrument at its starting mark and leverage. */
  list(id: string, mark: Dec, leverage: number): void {
    this.marks.set(id, mark);
    this.history.set(id, [{ time: this.now(), price: mark }]);
    this.leverage.set(id, leverage);
  }

  mark(id: string): Dec | undefined {
    return this.marks.get(id);
  }

  /** Moves a listed instrument's mark, remembering when. */
  move(id: string, mark: Dec): void {
    this.marks.set(id, mark);
    this.history.get(id)?.push({ time: this.now(), price: mark });
  }

  marks24h(id: string): MarkPoint[] {
    return this.history.get(id) ?? [];
  }

  leverageOf(id: string): number {
    return this.leverage.get(id) ?? 1;
  }

  setLeverage(id: string, leverage: number): void {
    this.leverage.set(id, leverage);
  }
}

/** Who is told of an account's changes; a listener may leave while it is being told. */
export class Listeners<E> {
  private readonly listeners = new Set<(event: E) => void>();

  add(listener: (event: E) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: E): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}

/** A request field as text: a non-empty string as is, a finite number written out, anything else absent. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Request parameters as JSON values (a GET's query, a POST's JSON body); each exchange says what an integer looks like and how it refuses one. */
export class JsonParams {
  constructor(
    readonly raw: Record<string, unknown>,
    private readonly integer: RegExp,
    private readonly invalid: (name: string) => Error,
  ) {}

  str(name: string): string | undefined {
    return text(this.raw[name]);
  }

  int(name: string): number | undefined {
    const value = this.str(name);
    if (value === undefined) return undefined;
    if (!this.integer.test(value)) throw this.invalid(name);
    return Number(value);
  }
}
