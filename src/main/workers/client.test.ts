import { threadId as mainThreadId } from 'node:worker_threads';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { SimulatedClock } from '../engine/ports/clock';
import { WorkerClient, type WorkerClientOptions, type WorkerExit } from './client';
import type { TestMethods } from './fixtures/testWorker';
import { isWorkerError, WorkerError, type WorkerErrorCode } from './protocol';
import { failure, fixture, gate, open, openAllGates } from './fixtures/testSupport';
import { BACKGROUND_NICE, threadNice } from './threadPriority';
import { getPriority } from 'node:os';

const testWorker = fixture('testWorker');

const clients: Array<WorkerClient<TestMethods>> = [];

async function start(options: WorkerClientOptions = {}): Promise<WorkerClient<TestMethods>> {
  const client = await WorkerClient.start<TestMethods>(testWorker, { name: 'test', ...options });
  clients.push(client);
  return client;
}

/** Tracks whether a promise has settled, without letting a rejection go unhandled. */
function track(promise: Promise<unknown>): { settled: boolean } {
  const state = { settled: false };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

/** Waits until the worker has let go of every request (the answer to a cancel came back). */
function untilIdle(client: WorkerClient<TestMethods>): Promise<void> {
  if (client.busy === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const off = client.onSettle(() => {
      if (client.busy > 0) return;
      off();
      resolve();
    });
  });
}

function exitOf(client: WorkerClient<TestMethods>): Promise<WorkerExit> {
  return new Promise((resolve) => client.onExit(resolve));
}

afterEach(async () => {
  openAllGates();
  await Promise.all(clients.splice(0).map((client) => client.stop({ deadlineMs: 2_000 })));
});

describe('WorkerClient', () => {
  it('serves a background worker behind the main thread: its own thread is lowered, the main thread is not', async () => {
    const client = await start();
    const nice = await client.request('nice', {});
    const mainNice = threadNice();
    if (process.platform === 'linux') {
      expect(nice).toBe(Math.max(BACKGROUND_NICE, mainNice ?? 0));
      expect(getPriority()).toBe(mainNice);
    } else {
      // Elsewhere one thread cannot be lowered alone, so nothing is.
      expect(nice).toBeNull();
    }
  });

  it('answers typed requests from another thread and lists the methods the worker serves', async () => {
    const client = await start();
    const answer = await client.request('echo', { text: 'hello' });
    expectTypeOf(answer).toEqualTypeOf<{ text: string; threadId: number }>();
    expect(answer.text).toBe('hello');
    expect(answer.threadId).not.toBe(mainThreadId);
    expect(answer.threadId).toBe(client.threadId);
    expect(client.methods).toEqual(expect.arrayContaining(['echo', 'count', 'hold', 'exit']));
    expect(client.state).toBe('running');
  });

  it('delivers progress in order before the result', async () => {
    const client = await start();
    const seen: number[] = [];
    const result = await client.request('count', { to: 4 }, { onProgress: (p) => seen.push(p.done) });
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(result).toBe(4);
  });

  it('turns a handler error into a typed WORKER_FAILED that keeps the remote name, message and stack', async () => {
    const client = await start();
    const error = await failure(client.request('fail', { message: 'no such feature column' }));
    expect(error.code).toBe('WORKER_FAILED');
    expect(error.message).toBe('no such feature column');
    expect(error.remoteName).toBe('ModelError');
    expect(error.remoteStack).toMatch(/testWorker\.ts/);
    // The worker survives a handler error.
    expect((await client.request('echo', { text: 'still here' })).text).toBe('still here');
  });

  it('says WORKER_UNKNOWN_METHOD for a method the worker does not have', async () => {
    const client = await start();
    const untyped = client as unknown as WorkerClient<{ nope: { params: null; result: null } }>;
    expect((await failure(untyped.request('nope', null))).code).toBe('WORKER_UNKNOWN_METHOD');
  });

  it('refuses params that cannot cross to a thread, without sending anything', async () => {
    const client = await start();
    const error = await failure(client.request('echo', { text: (() => 'x') as unknown as string }));
    expect(error.code).toBe('WORKER_FAILED');
    expect(error.message).toMatch(/cannot be sent/);
    expect(client.busy).toBe(0);
  });

  it('times a request out on the clock, and the worker is told to stop the work', async () => {
    const clock = new SimulatedClock(0);
    const client = await start({ clock });
    const held = client.request('hold', { gate: gate() }, { timeoutMs: 1_000 });
    const state = track(held);
    clock.advanceTo(999);
    await client.request('echo', { text: 'round trip' }); // the hold has had every chance to settle by now
    expect(state.settled).toBe(false);
    clock.advanceTo(1_000);
    const error = await failure(held);
    expect(error.code).toBe('WORKER_TIMEOUT');
    expect(error.message).toMatch(/hold got no answer within 1000 ms/);
    // The cancel reached the handler: the worker answers it and frees itself without the gate opening.
    await untilIdle(client);
    expect(client.busy).toBe(0);
  });

  it('cancels through an AbortSignal: the caller hears at once, the worker lets go when its handler sees the signal', async () => {
    const client = await start();
    const controller = new AbortController();
    const held = client.request('hold', { gate: gate() }, { signal: controller.signal });
    controller.abort();
    expect((await failure(held)).code).toBe('WORKER_CANCELED');
    await untilIdle(client);
    // Already aborted: refused without a round trip.
    expect((await failure(client.request('echo', { text: 'x' }, { signal: controller.signal }))).code).toBe('WORKER_CANCELED');
    expect(client.busy).toBe(0);
  });

  it('kills a worker stuck in synchronous work that ignores its cancel, and reports it as a crash', async () => {
    const clock = new SimulatedClock(0);
    const client = await start({ clock, killAfterCancelMs: 500 });
    const exited = exitOf(client);
    const stuck = client.request('spin', { gate: gate() }, { timeoutMs: 100 });
    clock.advanceTo(100);
    expect((await failure(stuck)).code).toBe('WORKER_TIMEOUT');
    expect(client.busy).toBe(1);
    clock.advanceTo(600);
    const exit = await exited;
    expect(exit.reason).toBe('crashed');
    expect(exit.error?.code).toBe('WORKER_CRASHED');
    expect(exit.error?.message).toMatch(/spin ignored its cancel for 500 ms/);
    expect(client.state).toBe('crashed');
    expect((await failure(client.request('echo', { text: 'x' }))).code).toBe('WORKER_CRASHED');
  });

  describe('a worker that dies mid-request answers everything it held with WORKER_CRASHED', () => {
    it('when it calls process.exit', async () => {
      const client = await start();
      const exited = exitOf(client);
      const held = client.request('hold', { gate: gate() });
      const dying = client.request('exit', { code: 7 });
      const [heldError, dyingError] = await Promise.all([failure(held), failure(dying)]);
      for (const error of [heldError, dyingError]) {
        expect(error.code).toBe('WORKER_CRASHED');
        expect(error.message).toMatch(/test thread crashed \(exit code 7\)/);
      }
      expect((await exited).reason).toBe('crashed');
      expect(client.busy).toBe(0);
      expect((await failure(client.request('echo', { text: 'x' }))).code).toBe('WORKER_CRASHED');
    });

    it('when an error escapes its handlers', async () => {
      const client = await start();
      const error = await failure(client.request('throwLater', { message: 'the model blew up' }));
      expect(error.code).toBe('WORKER_CRASHED');
      expect(error.message).toMatch(/the model blew up/);
      expect(error.remoteName).toBe('ModelError');
    });

    it('when it runs out of memory', async () => {
      const client = await start({ resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 } });
      const error = await failure(client.request('exhaustMemory', {}));
      expect(error.code).toBe('WORKER_CRASHED');
      expect(error.message).toMatch(/out of memory/i);
    });
  });

  describe('start-up', () => {
    it('fails with WORKER_CRASHED when the entry throws while loading', async () => {
      const error = await failure(WorkerClient.start(fixture('brokenWorker'), { name: 'scoring' }));
      expect(error.code).toBe('WORKER_CRASHED');
      expect(error.message).toMatch(/scoring thread crashed \(exit code 1\): the model file is corrupt/);
    });

    it('fails with WORKER_TIMEOUT when the worker never says it is ready', async () => {
      const clock = new SimulatedClock(0);
      const starting = WorkerClient.start(fixture('silentWorker'), { clock, startTimeoutMs: 5_000 });
      clock.advanceTo(5_000);
      const error = await failure(starting);
      expect(error.code).toBe('WORKER_TIMEOUT');
      expect(error.message).toMatch(/did not say it was ready within 5000 ms/);
    });
  });

  describe('drain-then-stop', () => {
    it('refuses new work at once, waits for the work in flight, runs the stop hook, then ends the thread', async () => {
      const client = await start();
      const flag = new Int32Array(new SharedArrayBuffer(4));
      await client.request('flagOnStop', { flag });
      const shared = gate();
      const held = client.request('hold', { gate: shared });
      const exited = exitOf(client);
      const stopping = client.stop({ deadlineMs: 60_000 });
      const stopState = track(stopping);
      expect(client.state).toBe('draining');
      const refused = await failure(client.request('echo', { text: 'late' }));
      expect(refused.code).toBe('WORKER_STOPPED');
      await new Promise((resolve) => setImmediate(resolve));
      expect(stopState.settled).toBe(false);
      expect(Atomics.load(flag, 0)).toBe(0);
      open(shared);
      expect(await held).toBe('released');
      await stopping;
      expect(Atomics.load(flag, 0)).toBe(1);
      expect(client.state).toBe('stopped');
      expect(await exited).toEqual({ reason: 'stopped' });
      expect(client.stop()).toBe(stopping); // idempotent
    });

    it('terminates at the deadline and answers what is left with WORKER_STOPPED', async () => {
      const clock = new SimulatedClock(0);
      const client = await start({ clock });
      const held = client.request('hold', { gate: gate() });
      const stopping = client.stop({ deadlineMs: 2_000 });
      clock.advanceTo(2_000);
      const error = await failure(held);
      expect(error.code).toBe('WORKER_STOPPED');
      await stopping;
      expect(client.state).toBe('stopped');
    });
  });
});

describe('typing', () => {
  it('types params, results and progress from the method map', async () => {
    const client = await start();
    expectTypeOf(client.request<'count'>).parameter(1).toEqualTypeOf<{ to: number }>();
    expectTypeOf(client.request('count', { to: 1 })).resolves.toEqualTypeOf<number>();
    // @ts-expect-error a method the map does not have
    void client.request('missing', {}).catch(() => undefined);
    // @ts-expect-error wrong params
    void client.request('echo', { text: 1 }).catch(() => undefined);
    // @ts-expect-error progress is typed per method
    void client.request('count', { to: 1 }, { onProgress: (p: { percent: number }) => p });
    const codes: WorkerErrorCode[] = ['WORKER_TIMEOUT', 'WORKER_CANCELED', 'WORKER_CRASHED', 'WORKER_FAILED', 'WORKER_STOPPED'];
    expect(codes.every((code) => isWorkerError(new WorkerError(code, 'm'), code))).toBe(true);
    await untilIdle(client);
  });
});
