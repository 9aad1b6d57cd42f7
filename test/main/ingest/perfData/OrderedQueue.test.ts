import { describe, expect, it } from 'vitest';
import {
  ITEM_SAMPLE,
  OrderedQueue,
  ThreadComms,
  type ReleaseConsumer,
} from '../../../../main/ingest/perfData/OrderedQueue';

function pushAll(queue: OrderedQueue, times: number[]): void {
  for (const time of times) {
    const slot = queue.push(ITEM_SAMPLE, time);
    queue.line[slot] = time;
  }
}

function releasedBy(run: (consume: ReleaseConsumer) => void, queue: OrderedQueue): number[] {
  const out: number[] = [];
  run((order, first, count) => {
    for (let k = 0; k < count; k++)
      out.push(queue.line[order === null ? first + k : (order[k] as number)] as number);
  });
  return out;
}

describe('OrderedQueue', () => {
  it('releases at a round mark only what is not newer than the previous round', () => {
    const queue = new OrderedQueue();
    // Round 1: CPU 1's buffer, then CPU 0's.
    pushAll(queue, [10, 30, 50, 20, 40]);
    expect(releasedBy((emit) => queue.roundMark(emit), queue)).toEqual([]);
    // Round 2.
    pushAll(queue, [70, 90, 60, 80]);
    expect(releasedBy((emit) => queue.roundMark(emit), queue)).toEqual([10, 20, 30, 40, 50]);
    expect(queue.length).toBe(4);
    expect(releasedBy((emit) => queue.releaseAll(emit), queue)).toEqual([60, 70, 80, 90]);
    expect(queue.length).toBe(0);
  });

  it('keeps arrival order between equal times and merges many runs', () => {
    const queue = new OrderedQueue();
    const times = [5, 5, 1, 9, 3, 3, 7, 2, 8, 6, 4];
    for (const [i, time] of times.entries()) queue.line[queue.push(ITEM_SAMPLE, time)] = i;
    const order = releasedBy((emit) => queue.releaseAll(emit), queue);
    const expected = times
      .map((time, i) => ({ time, i }))
      .sort((a, b) => a.time - b.time || a.i - b.i)
      .map((x) => x.i);
    expect(order).toEqual(expected);
  });

  it('falls back to a full sort for heavily shuffled input', () => {
    const queue = new OrderedQueue();
    const times = Array.from({ length: 2000 }, (_, i) => (i * 7919) % 2003);
    pushAll(queue, times);
    expect(releasedBy((emit) => queue.releaseAll(emit), queue)).toEqual(
      [...times].sort((a, b) => a - b),
    );
  });

  it('releases the older half on demand', () => {
    const queue = new OrderedQueue();
    pushAll(queue, [4, 3, 2, 1]);
    expect(releasedBy((emit) => queue.releaseHalf(emit), queue)).toEqual([1, 2, 3]);
    expect(releasedBy((emit) => queue.releaseAll(emit), queue)).toEqual([4]);
  });

  it('keeps the queued items in order when released ones are dropped to make room', () => {
    const queue = new OrderedQueue();
    const released: number[] = [];
    const take = (emit: (consume: ReleaseConsumer) => void) =>
      released.push(...releasedBy(emit, queue));
    let time = 0;
    for (let round = 0; round < 40; round++) {
      // In time order: each round mark releases by moving the head; every third round is not.
      const times = Array.from({ length: 700 }, () => ++time);
      if (round % 3 === 2) times.reverse();
      pushAll(queue, times);
      take((consume) => queue.roundMark(consume));
      expect(queue.length - queue.head).toBeLessThanOrEqual(1400);
    }
    take((consume) => queue.releaseAll(consume));
    expect(released).toEqual(Array.from({ length: time }, (_, i) => i + 1));
  });

  it('hands each callchain back once', () => {
    const queue = new OrderedQueue();
    const key = queue.addChain(['a', 'b']);
    expect(queue.takeChain(key)).toEqual(['a', 'b']);
    expect(queue.takeChain(key)).toBeNull();
    expect(queue.takeChain(-1)).toBeNull();
  });
});

describe('ThreadComms', () => {
  it('names threads like perf: COMM, inheritance on FORK, swapper and :tid', () => {
    const comms = new ThreadComms();
    expect(comms.comm(0)).toBe('swapper');
    expect(comms.comm(42)).toBe(':42');
    comms.setComm(100, 'python3');
    comms.fork(101, 100);
    expect(comms.comm(101)).toBe('python3');
    comms.fork(102, 999);
    expect(comms.comm(102)).toBe(':102');
  });
});
