import { describe, expect, it } from 'vitest';
import { BulkCancelCount } from './bulkCancelCount';

describe('BulkCancelCount', () => {
  it('counts per venue, so cancel-alls on two venues at once keep their own counts', () => {
    const count = new BulkCancelCount();
    count.start('a');
    count.start('b');
    expect(count.add('a')).toBe(true);
    expect(count.add('a')).toBe(true);
    expect(count.add('b')).toBe(true);
    expect(count.stop('b')).toBe(1);
    // b stopping does not stop a; a cancel on b is announced on its own again.
    expect(count.add('a')).toBe(true);
    expect(count.add('b')).toBe(false);
    expect(count.stop('a')).toBe(3);
    expect(count.add('a')).toBe(false);
  });
});
