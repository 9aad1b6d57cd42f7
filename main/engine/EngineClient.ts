/**
 * How the main thread talks to the engine: `EngineClient`, with one implementation that runs the
 * engine in a worker thread (the app and browser mode: heavy work never runs on Electron's main
 * thread or the server's event loop) and one that runs it in-process (tests, the CLI).
 *
 * Protocol: requests and responses carry a sequence number; the client resolves the matching
 * promise; calls slower than SLOW_CALL_MS are logged with their duration. The worker posts push
 * events (load progress) unsolicited. A crashed worker rejects every pending call and is
 * restarted on the next call (its traces are gone; the error says so).
 */
import { Worker } from 'node:worker_threads';
import type { PushEvents, RequestOf, ResponseOf } from '../../shared/contract';
import { Engine, EngineError, type EngineChannel, type EngineOptions } from './Engine';

/**
 * A request from the client to the worker: a channel call, or `stop-captures` (before the worker
 * is terminated: its capture helpers must see their stdin close while the process lives on).
 */
export type EngineRequestMessage =
  | { seq: number; channel: EngineChannel; request: unknown }
  | { seq: number; control: 'stop-captures' };

/** The worker's start-up data: the engine's options (plain data: it is structured-cloned). */
export interface EngineWorkerData {
  options: EngineOptions;
}

/** A message from the worker: a response or a push event. */
export type EngineResponseMessage =
  | { seq: number; ok: true; value: unknown }
  | { seq: number; ok: false; error: string; userError: boolean }
  | { push: keyof PushEvents; payload: unknown };

/** How long `close` waits for running captures to stop. */
const CLOSE_GRACE_MS = 5000;

/** Calls slower than this are logged. */
export const SLOW_CALL_MS = 200;

/** The engine as seen from the main thread. */
export interface EngineClient {
  call<C extends EngineChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Listens to push events; returns the unsubscribe function. */
  onPush(
    listener: <E extends keyof PushEvents>(event: E, payload: PushEvents[E]) => void,
  ): () => void;
  /** Stops the engine (terminates the worker). */
  close(): Promise<void>;
}

type PushListener = <E extends keyof PushEvents>(event: E, payload: PushEvents[E]) => void;

/** Runs the engine in this thread. */
export class InProcessEngineClient implements EngineClient {
  private readonly listeners = new Set<PushListener>();
  private readonly engine: Engine;

  constructor(options: EngineOptions = {}) {
    this.engine = new Engine(
      (event, payload) => this.listeners.forEach((listener) => listener(event, payload)),
      options,
    );
  }

  call<C extends EngineChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    return this.engine.handle(channel, request);
  }

  onPush(listener: PushListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    return this.engine.stopCaptures();
  }
}

/** Runs the engine in a worker thread started from `workerFile` (the built engine.worker.js). */
export class WorkerEngineClient implements EngineClient {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly pending = new Map<
    number,
    {
      resolve: (value: unknown) => void;
      reject: (error: Error) => void;
      channel: string;
      started: number;
    }
  >();
  private readonly listeners = new Set<PushListener>();

  constructor(
    private readonly workerFile: string | URL,
    private readonly log: (message: string) => void = (message) => console.warn(message),
    private readonly options: EngineOptions = {},
  ) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    const workerData: EngineWorkerData = { options: this.options };
    const worker = new Worker(this.workerFile, { workerData });
    worker.on('message', (message: EngineResponseMessage) => this.receive(message));
    worker.on('error', (error) => this.fail(`the engine crashed: ${error.message}`));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      if (code !== 0) this.fail(`the engine stopped (exit code ${code}); open the files again`);
    });
    this.worker = worker;
    return worker;
  }

  private fail(message: string): void {
    for (const call of this.pending.values()) call.reject(new EngineError(message));
    this.pending.clear();
  }

  private receive(message: EngineResponseMessage): void {
    if ('push' in message) {
      this.listeners.forEach((listener) => listener(message.push, message.payload as never));
      return;
    }
    const call = this.pending.get(message.seq);
    if (!call) return;
    this.pending.delete(message.seq);
    const duration = Date.now() - call.started;
    if (duration > SLOW_CALL_MS) this.log(`engine: ${call.channel} took ${duration} ms`);
    if (message.ok) call.resolve(message.value);
    else call.reject(message.userError ? new EngineError(message.error) : new Error(message.error));
  }

  call<C extends EngineChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    const worker = this.start();
    const seq = ++this.seq;
    return new Promise<ResponseOf<C>>((resolve, reject) => {
      this.pending.set(seq, {
        resolve: resolve as (value: unknown) => void,
        reject,
        channel,
        started: Date.now(),
      });
      const message: EngineRequestMessage = { seq, channel, request };
      worker.postMessage(message);
    });
  }

  onPush(listener: PushListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (worker) {
      // Running captures stop cleanly first (bounded: a stuck helper must not block exit).
      const seq = ++this.seq;
      const stopped = new Promise<void>((resolve) => {
        this.pending.set(seq, {
          resolve: () => resolve(),
          reject: () => resolve(),
          channel: 'stop-captures',
          started: Date.now(),
        });
      });
      const message: EngineRequestMessage = { seq, control: 'stop-captures' };
      worker.postMessage(message);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        stopped,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, CLOSE_GRACE_MS);
        }),
      ]);
      clearTimeout(timer);
    }
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
