/**
 * Promoting a Paper card to Live from the board: the trader picks one of the
 * real venues that are ready and the size factor (the gate settings' live
 * size factor unless changed). Worked out here, apart from the view, so the
 * choices and what blocks the move are plain functions of the venues' states
 * and the settings. The host judges the move again (gate, venue, size) and
 * refuses it with the reason if anything changed meanwhile.
 */
import { DEFAULT_GATE_SETTINGS, type GateSettings } from '../../../shared/contract';
import type { VenueStatus } from '../../../shared/domain';

export interface LiveChoices {
  /** Real venues that are ready, in the order the host lists them. */
  venues: string[];
  /** The venue chosen at first: the settings' live venue when it is ready, else the first ready one. */
  venue: string | null;
  /** The size factor offered at first, as the input shows it. */
  sizeFactor: string;
  /** Why no card can go live now, or null. */
  blocker: string | null;
}

export function liveChoices(statuses: readonly VenueStatus[], gates: GateSettings | null): LiveChoices {
  const settings = gates ?? DEFAULT_GATE_SETTINGS;
  const real = statuses.filter((s) => !s.paper);
  const venues = real.filter((s) => s.state === 'ready').map((s) => s.venue);
  const venue = settings.liveVenue !== null && venues.includes(settings.liveVenue) ? settings.liveVenue : (venues[0] ?? null);
  let blocker: string | null = null;
  if (venues.length === 0) {
    const seen = real.map((s) => `${s.venue} ${s.state}`).join(', ');
    blocker = `No real venue is ready to go live on${seen ? ` (${seen})` : ': add one in Settings → Exchanges'}`;
  }
  return { venues, venue, sizeFactor: String(settings.liveSizeFactor), blocker };
}

/** The size factor typed, or what is wrong with it: live trades at a share of the paper size, above 0 and at most 1. */
export function parseSizeFactor(text: string): number | { error: string } {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || value > 1) return { error: 'The size factor must be above 0 and at most 1 (0.25 = a quarter of the paper size)' };
  return value;
}

/** The `pipeline.promote` parameters for going live with the chosen venue and size, or why Promote is disabled. */
export function livePromotion(
  cardId: string,
  choices: LiveChoices,
  venue: string | null,
  sizeText: string,
): { params: { cardId: string; venue: string; sizeFactor: number } } | { blocker: string } {
  if (choices.blocker !== null) return { blocker: choices.blocker };
  if (venue === null || !choices.venues.includes(venue)) return { blocker: 'Choose a real venue that is ready' };
  const sizeFactor = parseSizeFactor(sizeText);
  if (typeof sizeFactor !== 'number') return { blocker: sizeFactor.error };
  return { params: { cardId, venue, sizeFactor } };
}
