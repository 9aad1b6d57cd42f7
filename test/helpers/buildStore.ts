/**
 * Builds small stores from partial events, for store and query tests.
 */
import { emptyEventInput, type EventInput } from '../../shared/model';
import { EventStore } from '../../main/store';

/** A store holding `events` (unspecified fields unknown), appended in order. */
export function buildStore(events: readonly Partial<EventInput>[]): EventStore {
  const store = new EventStore();
  events.forEach((partial, index) =>
    store.append({ ...emptyEventInput(), line: index + 1, ...partial }),
  );
  return store;
}
