import { describe, expect, it } from 'vitest';
import type { DiscoveryProgress } from '../../shared/contract';
import { createKeelStore } from './store';
import { foldDiscovery } from './pipeline';

const progress = (jobId: string, done: number, status: DiscoveryProgress['status'] = 'running'): DiscoveryProgress => ({ jobId, status, done, total: 7, kept: 0, message: '' });

describe('the pipeline slice', () => {
  it('keeps each discovery\'s newest progress, newest discovery first', () => {
    let board = foldDiscovery(null, progress('a', 1));
    board = foldDiscovery(board, progress('b', 1));
    board = foldDiscovery(board, progress('a', 5));
    expect(board.discoveries.map((d) => [d.jobId, d.done])).toEqual([
      ['a', 5],
      ['b', 1],
    ]);
  });

  it('takes the board and discovery progress from events', () => {
    const store = createKeelStore();
    store.getState().applyEvents([{ topic: 'pipeline.updated', data: { cards: [], moves: [], discoveries: [], schedules: [] } }, { topic: 'pipeline.discovery', data: progress('a', 7, 'done') }], []);
    expect(store.getState().pipeline).toEqual({ cards: [], moves: [], discoveries: [progress('a', 7, 'done')], schedules: [] });
  });
});
