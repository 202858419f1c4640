import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installProcessGuard } from './processGuard';

function guarded(maxLength?: number) {
  const target = new EventEmitter();
  const logged: string[] = [];
  const uninstall = installProcessGuard({ log: (message) => logged.push(message), target, ...(maxLength === undefined ? {} : { maxLength }) });
  return { target, logged, uninstall };
}

describe('installProcessGuard', () => {
  it('logs an uncaught exception with its stack instead of letting it end the process', () => {
    const { target, logged } = guarded();
    const error = new URIError('URI malformed');
    expect(() => target.emit('uncaughtException', error)).not.toThrow();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/uncaught exception; the process keeps running/);
    expect(logged[0]).toContain('URIError: URI malformed');
  });

  it('logs an unhandled rejection, whatever was rejected', () => {
    const { target, logged } = guarded();
    target.emit('unhandledRejection', new TypeError('Invalid URL'), Promise.resolve());
    target.emit('unhandledRejection', 'a plain string');
    target.emit('unhandledRejection', undefined);
    target.emit('unhandledRejection', Object.create(null));
    expect(logged).toHaveLength(4);
    expect(logged[0]).toContain('TypeError: Invalid URL');
    expect(logged[1]).toMatch(/unhandled promise rejection.*a plain string/);
    expect(logged[2]).toContain('undefined');
    expect(logged[3]).toContain('cannot be printed');
  });

  it('hands each caught error to onError after logging it, and survives a handler that throws', () => {
    const target = new EventEmitter();
    const seen: unknown[] = [];
    installProcessGuard({ log: () => undefined, target, onError: (error) => seen.push(error) });
    const journal = Object.assign(new Error('disk I/O error'), { name: 'SqliteError', code: 'SQLITE_IOERR' });
    target.emit('uncaughtException', journal);
    target.emit('unhandledRejection', 'late');
    expect(seen).toEqual([journal, 'late']);

    const other = new EventEmitter();
    installProcessGuard({ log: () => undefined, target: other, onError: () => { throw new Error('handler broke'); } });
    expect(() => other.emit('uncaughtException', new Error('x'))).not.toThrow();
  });

  it('bounds what it logs', () => {
    const { target, logged } = guarded(200);
    target.emit('uncaughtException', new Error('x'.repeat(100_000)));
    expect(logged[0]!.length).toBeLessThan(300);
    expect(logged[0]).toMatch(/more characters\)$/);
  });

  it('survives a logger that throws', () => {
    const target = new EventEmitter();
    installProcessGuard({
      log: () => {
        throw new Error('disk full');
      },
      target,
    });
    expect(() => target.emit('uncaughtException', new Error('boom'))).not.toThrow();
  });

  it('installs once per process', () => {
    const { target, logged, uninstall } = guarded();
    const again = installProcessGuard({ log: (message) => logged.push(message), target });
    expect(again).toBe(uninstall);
    expect(target.listenerCount('uncaughtException')).toBe(1);
    target.emit('uncaughtException', new Error('once'));
    expect(logged).toHaveLength(1);
  });

  it('removes its listeners when uninstalled', () => {
    const { target, uninstall } = guarded();
    expect(target.listenerCount('uncaughtException')).toBe(1);
    expect(target.listenerCount('unhandledRejection')).toBe(1);
    uninstall();
    expect(target.listenerCount('uncaughtException')).toBe(0);
    expect(target.listenerCount('unhandledRejection')).toBe(0);
    installProcessGuard({ log: () => undefined, target });
    expect(target.listenerCount('uncaughtException')).toBe(1);
  });
});
