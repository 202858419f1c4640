import { describe, expect, it } from 'vitest';
import { EventBus } from './bus';

const heartbeat = { time: 1 } as never;

describe('EventBus topic interest', () => {
  it('calls a subscriber that named its topics for those topics only', () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.subscribe((topic) => seen.push(topic), ['fills.new']);
    bus.publish('orders.updated', heartbeat);
    bus.publish('fills.new', heartbeat);
    expect(seen).toEqual(['fills.new']);
  });

  it('wants a topic while someone takes it, and not after they leave', () => {
    const bus = new EventBus();
    expect(bus.wants('account.updated')).toBe(false);
    const offFills = bus.subscribe(() => {}, ['fills.new']);
    expect(bus.wants('fills.new')).toBe(true);
    expect(bus.wants('account.updated')).toBe(false);
    const offAll = bus.subscribe(() => {});
    expect(bus.wants('account.updated')).toBe(true);
    offAll();
    offAll(); // a second unsubscribe changes nothing
    expect(bus.wants('account.updated')).toBe(false);
    expect(bus.wants('fills.new')).toBe(true);
    offFills();
    expect(bus.wants('fills.new')).toBe(false);
  });

  it('holds a filtered subscriber\'s events in a transaction like anyone\'s', () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.subscribe((topic) => seen.push(topic), ['fills.new']);
    expect(() =>
      bus.atomically(() => {
        bus.publish('fills.new', heartbeat);
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(seen).toEqual([]);
    bus.atomically(() => bus.publish('fills.new', heartbeat));
    expect(seen).toEqual(['fills.new']);
  });
});
