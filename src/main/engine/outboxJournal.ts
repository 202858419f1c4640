/**
 * The journal as the engine's components see it: every transaction is also
 * an outbox transaction on the bus, so events published while it is open go
 * out only once it has committed. Components call `journal.transaction` as
 * before and get this guarantee without knowing about it.
 */
import type { EventBus } from './bus';
import type { EngineJournal } from './ports/journal';

export function withOutbox(journal: EngineJournal, bus: EventBus): EngineJournal {
  const transaction = <T>(fn: () => T): T => bus.atomically(() => journal.transaction(fn));
  return new Proxy(journal, {
    get: (target, key) => (key === 'transaction' ? transaction : Reflect.get(target, key, target)),
  });
}
