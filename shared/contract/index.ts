export {
  requestSchemas,
  filterSpecSchema,
  filterExprSchema,
  traceIdSchema,
  MIN_RING_LIMIT,
  MAX_RING_LIMIT,
} from './schemas';
export type * from './Contract';

import { requestSchemas } from './schemas';
import type { Channel, PushEvent } from './Contract';

/** Every channel name (the preload's allowlist). */
export const CHANNELS = Object.keys(requestSchemas) as Channel[];

/** Every push event name. */
export const PUSH_EVENTS: readonly PushEvent[] = [
  'trace:loadProgress',
  'app:menu',
  'report:exportProgress',
  'capture:progress',
];

/** Whether a string is a channel of the contract. */
export function isChannel(value: string): value is Channel {
  return (CHANNELS as string[]).includes(value);
}
export * from './wsProtocol';
