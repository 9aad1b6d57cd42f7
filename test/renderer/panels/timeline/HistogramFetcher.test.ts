import { describe, expect, it } from 'vitest';
import type { HistogramResult } from '../../../../shared/contract';
import {
  HistogramFetcher,
  type HistogramJob,
  type HistogramOutcome,
} from '../../../../renderer/panels/timeline/HistogramFetcher';
import { flushPromises } from './fakeCanvas';

interface Deferred {
  request: string;
  resolve: (result: HistogramResult) => void;
  reject: (error: unknown) => void;
}

function setup(): {
  fetcher: HistogramFetcher<string>;
  sent: Deferred[];
  settled: { key: string; outcome: HistogramOutcome }[];
} {
  const sent: Deferred[] = [];
  const settled: { key: string; outcome: HistogramOutcome }[] = [];
  const fetcher = new HistogramFetcher<string>(
    (request) =>
      new Promise<HistogramResult>((resolve, reject) => sent.push({ request, resolve, reject })),
    (job, outcome) => settled.push({ key: job.key, outcome }),
  );
  return { fetcher, sent, settled };
}

function job(key: string): HistogramJob<string> {
  return { key, baseKey: 'b', window: { startNs: 0, bucketNs: 1, buckets: 1 }, request: key };
}

const result: HistogramResult = { startNs: 0, bucketNs: 1, buckets: 1, series: [], outside: 0 };

describe('HistogramFetcher', () => {
  it('keeps at most one request in flight and sends only the latest waiting wish', async () => {
    const { fetcher, sent, settled } = setup();
    fetcher.request(job('a'));
    fetcher.request(job('b'));
    fetcher.request(job('c'));
    expect(sent.map((s) => s.request)).toEqual(['a']);
    expect(fetcher.pendingKey).toBe('c');

    sent[0]!.resolve(result);
    await flushPromises();
    expect(settled.map((s) => s.key)).toEqual(['a']);
    expect(sent.map((s) => s.request)).toEqual(['a', 'c']);
    expect(fetcher.inFlightKey).toBe('c');
  });

  it('does not send the request in flight twice', () => {
    const { fetcher, sent } = setup();
    fetcher.request(job('a'));
    fetcher.request(job('b'));
    fetcher.request(job('a'));
    expect(fetcher.pendingKey).toBeNull();
    expect(sent).toHaveLength(1);
  });

  it('reports a failure with the message of a contract error', async () => {
    const { fetcher, sent, settled } = setup();
    fetcher.request(job('a'));
    sent[0]!.reject({ message: 'No trace t1 is open.' });
    await flushPromises();
    expect(settled).toEqual([
      { key: 'a', outcome: { ok: false, message: 'No trace t1 is open.' } },
    ]);
    expect(fetcher.inFlightKey).toBeNull();
  });

  it('ignores the outcome of a request sent before a reset', async () => {
    const { fetcher, sent, settled } = setup();
    fetcher.request(job('a'));
    fetcher.reset();
    fetcher.request(job('b'));
    sent[0]!.resolve(result);
    await flushPromises();
    expect(settled).toEqual([]);
    expect(fetcher.inFlightKey).toBe('b');
  });
});
