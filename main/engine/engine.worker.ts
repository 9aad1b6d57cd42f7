/**
 * Entry of the engine worker thread: runs an `Engine` and answers `EngineRequestMessage`s.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Engine, EngineError } from './Engine';
import type { EngineRequestMessage, EngineResponseMessage, EngineWorkerData } from './EngineClient';

const port = parentPort;
if (!port) throw new Error('engine.worker must run in a worker thread');

const data = workerData as EngineWorkerData | null | undefined;
const engine = new Engine((event, payload) => {
  const message: EngineResponseMessage = { push: event, payload };
  port.postMessage(message);
}, data?.options ?? {});

port.on('message', (message: EngineRequestMessage) => {
  const work =
    'control' in message
      ? engine.stopCaptures().then(() => null)
      : engine.handle(message.channel, message.request as never);
  work.then(
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
