/**
 * Worker-thread entry of WorkerFitter (forecast/worker-fitter.ts): runs each requested fit with
 * runFit and posts the result back, so selection and fitting (seconds per group) never block the
 * agent's event loop. A fit that throws is answered with its message; the worker carries on.
 */
import { parentPort } from 'node:worker_threads';
import { type FitRequest, type FitResult, runFit } from './fit-job.js';

export interface FitJobMessage {
  readonly id: number;
  readonly request: FitRequest;
}

export type FitReply =
  | { readonly id: number; readonly ok: true; readonly result: FitResult }
  | { readonly id: number; readonly ok: false; readonly error: string };

const port = parentPort;
if (!port) throw new Error('forecast/fit-worker runs only as a worker thread');

port.on('message', (msg: FitJobMessage) => {
  let reply: FitReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const result = runFit(msg.request);
    reply = { id: msg.id, ok: true, result };
    transfer = transferables(result);
  } catch (err) {
    reply = { id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply, transfer);
});

/**
 * Buffers to move instead of copy: the validation errors, the model's and the bands' arrays, each
 * only when an array spans its whole buffer (a view into a larger or shared buffer is copied) and
 * once. The worker never reads them again (the MSTL memo keeps its own arrays, not the model's).
 */
function transferables(result: FitResult): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength)
        out.add(v.buffer);
      return;
    }
    for (const x of Object.values(v)) visit(x);
  };
  visit(result.errors);
  visit(result.modelState);
  visit(result.bands);
  return [...out];
}
