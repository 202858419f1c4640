/**
 * The alert form's fields as typed, checked as the trader types, and turned
 * into `alerts.price.add` params once they are all valid. The engine checks
 * again (and knows the last price, which decides a crossing's direction).
 */
import { MAX_ALERT_PERCENT, MAX_ALERT_WINDOW_MINUTES, type AddPriceAlertParams } from '../../../shared/contract';
import { MAX_TEXT_CHARS } from '../../../shared/domain';
import { Dec } from '../../../shared/decimal';

export interface AlertDraft {
  kind: 'cross' | 'move';
  price: string;
  /** A crossing's direction: `auto` lets the engine take it from the side the price is on. */
  crossDirection: 'auto' | 'up' | 'down';
  percent: string;
  windowMinutes: string;
  moveDirection: 'either' | 'up' | 'down';
  note: string;
}

export const EMPTY_ALERT_DRAFT: AlertDraft = {
  kind: 'cross',
  price: '',
  crossDirection: 'auto',
  percent: '2',
  windowMinutes: '15',
  moveDirection: 'either',
  note: '',
};

export type AlertField = 'price' | 'percent' | 'windowMinutes' | 'note';

export type ParsedAlert = { ok: true; params: AddPriceAlertParams } | { ok: false; problems: Partial<Record<AlertField, string>> };

function positive(text: string): Dec | null {
  const t = text.trim().replace(/,/g, '');
  if (!Dec.isValid(t)) return null;
  const d = Dec.parse(t);
  return d.isPositive() ? d : null;
}

export function parseAlertForm(draft: AlertDraft, venue: string, symbol: string): ParsedAlert {
  const problems: Partial<Record<AlertField, string>> = {};
  const note = draft.note.trim();
  if (note.length > MAX_TEXT_CHARS) problems.note = `A note is at most ${MAX_TEXT_CHARS} characters`;
  if (draft.kind === 'cross') {
    const price = positive(draft.price);
    if (!price) problems.price = 'Price must be a number above zero, such as 80000.5';
    if (Object.keys(problems).length > 0 || !price) return { ok: false, problems };
    return {
      ok: true,
      params: {
        kind: 'cross',
        venue,
        symbol,
        price: price.toString(),
        ...(draft.crossDirection !== 'auto' ? { direction: draft.crossDirection } : {}),
        ...(note ? { note } : {}),
      },
    };
  }
  const percent = positive(draft.percent);
  if (!percent) problems.percent = 'Move must be a percent above zero, such as 2.5';
  else if (percent.gt(Dec.parse(String(MAX_ALERT_PERCENT)))) problems.percent = `Move is at most ${MAX_ALERT_PERCENT} %`;
  const minutes = Number(draft.windowMinutes.trim());
  if (!/^\d+$/.test(draft.windowMinutes.trim()) || !Number.isInteger(minutes) || minutes < 1 || minutes > MAX_ALERT_WINDOW_MINUTES) {
    problems.windowMinutes = `Window is a whole number of minutes from 1 to ${MAX_ALERT_WINDOW_MINUTES}`;
  }
  if (Object.keys(problems).length > 0 || !percent) return { ok: false, problems };
  return {
    ok: true,
    params: { kind: 'move', venue, symbol, percent: percent.toString(), windowMinutes: minutes, direction: draft.moveDirection, ...(note ? { note } : {}) },
  };
}
