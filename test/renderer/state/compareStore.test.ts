import { describe, expect, it } from 'vitest';
import { createDropscopeApi } from '../../../renderer/services';
import { createCompareStore } from '../../../renderer/state';
import { createFakeClient } from '../helpers/fakeClient';

describe('compareStore', () => {
  it('compares the two chosen traces under the given filter', async () => {
    const client = createFakeClient({
      'trace:compare': (request) => ({
        a: { traceId: request.a, name: 'a.txt', events: 10 },
        b: { traceId: request.b, name: 'b.txt', events: 15 },
        reasons: [{ key: 'NO_SOCKET', a: 4, b: 9, delta: 5 }],
        locations: [],
      }),
    });
    const store = createCompareStore(createDropscopeApi(client));
    store.getState().setTraces('t1', 't2');
    await store.getState().runCompare({ expr: { kind: 'in', field: 'cpu', values: [1] } });

    expect(client.callsOf('trace:compare')).toEqual([
      { a: 't1', b: 't2', filter: { expr: { kind: 'in', field: 'cpu', values: [1] } } },
    ]);
    expect(store.getState().status).toBe('done');
    expect(store.getState().result?.reasons[0]?.delta).toBe(5);

    store.getState().forgetTrace('t2');
    expect(store.getState()).toMatchObject({ traceB: null, result: null, status: 'idle' });
  });

  it('says what is missing when fewer than two traces are chosen', async () => {
    const store = createCompareStore(createDropscopeApi(createFakeClient()));
    await store.getState().runCompare({});
    expect(store.getState()).toMatchObject({
      status: 'error',
      error: 'pick two traces to compare',
    });
  });
});
