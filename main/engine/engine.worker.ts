/**
 * Entry of the engine worker thread: runs an `Engine` and answers `EngineRequestMessage`s.
 */
import { parentPort } from 'node:worker_threads';
import { Engine, EngineError } from './Engine';
import type { EngineRequestMessage, EngineResponseMessage } from './EngineClient';

const port = parentPort;
if (!port) throw new Error('engine.worker must run in a worker thread');

const engine = new Engine((event, payload) => {
  const message: EngineResponseMessage = { push: event, payload };
  port.postMessage(message);
});

port.on('message', (message: EngineRequestMessage) => {
  engine.handle(message.channel, message.request as never).then(
    (value) =>
      port.postMessage({ seq: message.seq, ok: true, value } satisfies EngineResponseMessage),
    (error: unknown) =>
      port.postMessage({
        seq: message.seq,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
        userError: error instanceof EngineError,
      } satisfies EngineResponseMessage),
  );
});
