/**
 * Runs refits on a worker thread so the agent's event loop (API, watches, the control loop) keeps
 * running while a group's model is selected and fitted. One worker, requests served in order.
 * A fit that throws rejects with its message; a worker that crashes or cannot start rejects the
 * fit it was running and is replaced for the next one. The simulator and the tests fit
 * in-process instead (GroupForecaster without a fitter), which stays deterministic.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FitRequest, FitResult, Fitter } from './fit-job.js';
import type { FitJobMessage, FitReply } from './fit-worker.js';

export type { Fitter } from './fit-job.js';

export interface WorkerFitterOptions {
  /** Starts the worker (default startFitWorker); tests substitute failing workers. */
  readonly spawn?: () => Worker;
}

interface Job {
  readonly id: number;
  readonly request: FitRequest;
  resolve(result: FitResult): void;
  reject(err: Error): void;
}

export class WorkerFitter implements Fitter {
  private readonly spawn: () => Worker;
  private worker?: Worker;
  private readonly queue: Job[] = [];
  private current?: Job;
  private nextId = 1;
  private closed = false;

  constructor(opts: WorkerFitterOptions = {}) {
    this.spawn = opts.spawn ?? startFitWorker;
  }

  fit(request: FitRequest): Promise<FitResult> {
    if (this.closed) return Promise.reject(new Error('fit worker closed'));
    return new Promise<FitResult>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, resolve, reject });
      this.pump();
    });
  }

  /** Fits waiting or running. */
  get pending(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  /** Rejects what is waiting or running and stops the worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new Error('fit worker closed');
    for (const job of this.queue.splice(0)) job.reject(err);
    this.current?.reject(err);
    this.current = undefined;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private pump(): void {
    if (this.current || this.closed) return;
    const job = this.queue.shift();
    if (!job) {
      // Idle: an unreferenced worker does not keep the process alive.
      this.worker?.unref();
      return;
    }
    this.current = job;
    let step = 'fit worker could not start';
    try {
      const worker = this.worker ?? this.start();
      step = 'fit request could not be sent';
      worker.ref();
      worker.postMessage({ id: job.id, request: job.request } satisfies FitJobMessage);
    } catch (err) {
      this.current = undefined;
      job.reject(new Error(`${step}: ${(err as Error).message}`));
      this.pump();
    }
  }

  private start(): Worker {
    const worker = this.spawn();
    this.worker = worker;
    worker.on('message', (reply: FitReply) => {
      const job = this.current;
      if (worker !== this.worker || !job || reply.id !== job.id) return;
      this.current = undefined;
      if (reply.ok) job.resolve(reply.result);
      else job.reject(new Error(reply.error));
      this.pump();
    });
    worker.on('error', (err) => this.fail(worker, `fit worker crashed: ${err.message}`));
    worker.on('exit', (code) => this.fail(worker, `fit worker exited with code ${code}`));
    return worker;
  }

  /** The worker is gone: reject its fit, replace it for the next one. */
  private fail(worker: Worker | undefined, message: string): void {
    if (worker !== this.worker) return; // an earlier worker's late event, or after close()
    this.worker = undefined;
    void worker?.terminate();
    const job = this.current;
    this.current = undefined;
    job?.reject(new Error(message));
    this.pump();
  }
}

/**
 * The fit worker next to this module, with this module's extension: `.js` when compiled (dist/),
 * `.ts` under tsx or vitest, where the worker loads through tsx's API because workers do not
 * inherit the main thread's loader hooks on Node 20.
 */
export function startFitWorker(): Worker {
  const ext = extname(fileURLToPath(import.meta.url));
  const entry = new URL(`./fit-worker${ext}`, import.meta.url);
  if (ext !== '.ts') return new Worker(entry);
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(import.meta.url)}));`;
  return new Worker(boot, { eval: true });
}
