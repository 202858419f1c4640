import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as account from './account';
import * as activity from './activity';
import * as emergency from './emergency';
import * as market from './market';
import * as orders from './orders';
import * as paper from './paper';
import * as reconciliation from './reconciliation';
import * as risk from './risk';
import * as settings from './settings';
import * as subscription from './subscription';
import * as system from './system';
import * as strategies from './strategies';
import * as backtests from './backtests';
import * as venues from './venues';
import * as ml from './ml';
import * as signals from './signals';
import * as modelMonitor from './modelMonitor';
import * as analytics from './analytics';
import * as alerts from './alerts';
import * as parity from './parity';
import * as alertCenter from './alertCenter';
import * as pipeline from './pipeline';
import { events, isEventTopic, isMethodName, methods } from './index';

const domains = { account, activity, emergency, market, orders, paper, reconciliation, risk, settings, subscription, system, strategies, backtests, venues, ml, signals, modelMonitor, analytics, alerts, parity, alertCenter, pipeline };

/** Every `<name>Methods` / `<name>Events` map the domain files export. */
function fragments(suffix: 'Methods' | 'Events'): Array<{ name: string; keys: string[] }> {
  return Object.values(domains).flatMap((module) =>
    Object.entries(module)
      .filter(([name]) => name.endsWith(suffix))
      .map(([name, value]) => ({ name, keys: Object.keys(value as object) })),
  );
}

describe.each([
  ['Methods', methods],
  ['Events', events],
] as const)('the composed %s map', (suffix, composed) => {
  it('holds every name of every domain fragment exactly once, and nothing else', () => {
    const declared = fragments(suffix).flatMap((f) => f.keys);
    const twice = declared.filter((name, i) => declared.indexOf(name) !== i);
    expect(twice, 'declared by two fragments (the later spread would silently win)').toEqual([]);
    expect([...declared].sort()).toEqual(Object.keys(composed).sort());
  });

  it('keeps each fragment together and in its declared order', () => {
    const order = Object.keys(composed);
    for (const fragment of fragments(suffix)) {
      const start = order.indexOf(fragment.keys[0]!);
      expect(order.slice(start, start + fragment.keys.length), fragment.name).toEqual(fragment.keys);
    }
  });
});

describe('methods', () => {
  it('are named domain.verb and carry a kind and zod schemas for params and result', () => {
    for (const [name, m] of Object.entries(methods)) {
      expect(name).toMatch(/^[a-z]+(\.[a-zA-Z]+)+$/);
      expect(['command', 'query', 'urgent']).toContain(m.kind);
      expect(m.params).toBeInstanceOf(z.ZodType);
      expect(m.result).toBeInstanceOf(z.ZodType);
    }
  });

  it('recognise only their own names, not inherited properties', () => {
    expect(isMethodName('orders.place')).toBe(true);
    expect(isMethodName('toString')).toBe(false);
    expect(isEventTopic('system.health')).toBe(true);
    expect(isEventTopic('__proto__')).toBe(false);
  });
});
