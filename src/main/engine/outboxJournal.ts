/**
 * The journal as the engine's components see it: every transaction is also
 * an outbox transaction on the bus, so events published while it is open go
 * out only once it has committed. Components call `journal.transaction` as
 * before and get this guarantee without knowing about it.
 *
 * The wrapper is a plain object with one forwarding method per journal
 * method, not a Proxy: every journal call of every order goes through it, and
 * a Proxy's trap costs far more than a call. Each method is looked up on the
 * journal when called, so it always runs the journal's current method;
 * any other property (a flag a test journal exposes) reads and writes through.
 */
import type { EventBus } from './bus';
import type { EngineJournal } from './ports/journal';

export function withOutbox(journal: EngineJournal, bus: EventBus): EngineJournal {
  const target = journal as unknown as Record<string, unknown>;
  const wrapper: Record<string, unknown> = {};
  for (const key of propertyNames(journal)) {
    if (key === 'transaction') continue;
    if (typeof target[key] === 'function') {
      wrapper[key] = (...args: unknown[]) => (target[key] as (...a: unknown[]) => unknown).apply(journal, args);
    } else {
      Object.defineProperty(wrapper, key, { get: () => target[key], set: (value: unknown) => (target[key] = value), enumerable: true });
    }
  }
  wrapper.transaction = <T>(fn: () => T): T => bus.atomically(() => journal.transaction(fn));
  return wrapper as unknown as EngineJournal;
}

/** Every property name of `value` and its prototypes, short of Object's own. */
function propertyNames(value: object): Set<string> {
  const names = new Set<string>();
  for (let o: object | null = value; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) if (name !== 'constructor') names.add(name);
  }
  return names;
}
