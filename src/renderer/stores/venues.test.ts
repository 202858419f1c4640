import { describe, expect, it } from 'vitest';
import type { CredentialStatus, VenueView } from '../../shared/contract';
import { createKeelStore } from './store';
import { keepCredentialsOf, upsertView } from './venues';

function view(id: string, mode: VenueView['mode'] = 'demo', state: VenueView['status']['state'] = 'blocked'): VenueView {
  return {
    id,
    exchange: mode === 'paper' ? 'paper' : 'binanceusdm',
    mode,
    label: id,
    symbols: ['BTC/USDT:USDT'],
    status: { venue: id, state, reason: state === 'blocked' ? 'no API key is stored' : null, paper: mode === 'paper' },
    overrideUrl: null,
    removable: mode !== 'paper',
  };
}

function status(venue: string): CredentialStatus {
  return { venue, stored: true, lastFour: 'abcd', permissions: null, checkedAt: 1, warnings: [], keychain: 'Secret Service (keytar)' };
}

describe('venue list', () => {
  it('replaces a venue in place and appends a new one', () => {
    const list = [view('paper', 'paper'), view('a')];
    expect(upsertView(list, view('a', 'live')).map((v) => [v.id, v.mode])).toEqual([
      ['paper', 'paper'],
      ['a', 'live'],
    ]);
    expect(upsertView(list, view('b')).map((v) => v.id)).toEqual(['paper', 'a', 'b']);
  });

  it("forgets the key status of a venue that is gone, and keeps the object when nothing went", () => {
    const credentials = { a: status('a'), b: status('b') };
    expect(Object.keys(keepCredentialsOf(credentials, [view('a')]))).toEqual(['a']);
    expect(keepCredentialsOf(credentials, [view('a'), view('b')])).toBe(credentials);
  });

  it('keeps the header statuses in step with the list, from an answer and from the event', () => {
    const store = createKeelStore();
    store.getState().setVenueList([view('paper', 'paper', 'ready')]);
    store.getState().upsertVenue(view('binanceusdm-demo'));
    expect(store.getState().venues.map((v) => [v.venue, v.state])).toEqual([
      ['paper', 'ready'],
      ['binanceusdm-demo', 'blocked'],
    ]);
    store.getState().setCredentialStatus(status('binanceusdm-demo'));
    store.getState().applyEvents([{ topic: 'venues.updated', data: { venues: [view('paper', 'paper', 'ready')] } }], []);
    expect(store.getState().venues.map((v) => v.venue)).toEqual(['paper']);
    expect(store.getState().venueList.map((v) => v.id)).toEqual(['paper']);
    expect(store.getState().credentials).toEqual({});
  });
});
