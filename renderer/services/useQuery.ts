/**
 * Runs one asynchronous query for a component, keyed by a string: a new key runs it again, an
 * answer for an old key is dropped (so a slow response never overwrites a newer one), and the last
 * data stays visible while the next one loads (no flicker on every filter change).
 */
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from './api';

/** What a query has so far. */
export interface QueryState<T> {
  data: T | undefined;
  error: string | null;
  isLoading: boolean;
}

/**
 * Runs `run()` whenever `key` changes; `key === null` means "nothing to ask" (data cleared).
 *
 * `run` may change on every render: only `key` decides when to ask again, so it must encode
 * everything `run` depends on (trace id, filter, revision …).
 */
export function useQuery<T>(key: string | null, run: () => Promise<T>): QueryState<T> {
  const runRef = useRef(run);
  runRef.current = run;
  const [state, setState] = useState<QueryState<T>>({
    data: undefined,
    error: null,
    isLoading: key !== null,
  });

  useEffect(() => {
    if (key === null) {
      setState({ data: undefined, error: null, isLoading: false });
      return undefined;
    }
    let current = true;
    setState((previous) => ({ ...previous, isLoading: true }));
    runRef.current().then(
      (data) => {
        if (current) setState({ data, error: null, isLoading: false });
      },
      (error: unknown) => {
        if (current) setState({ data: undefined, error: errorMessage(error), isLoading: false });
      },
    );
    return () => {
      current = false;
    };
  }, [key]);

  return state;
}
