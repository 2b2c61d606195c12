/**
 * @kubernetes/client-node 2.x depends on undici 8, which needs Node.js >= 22.19 and crashes on
 * import under Node 20 (engines here say >= 20). It touches three newer APIs at load or request
 * time; this module fills exactly those in, and must be evaluated before client-node is first
 * imported (every nodecast module that imports client-node imports this first; entry points and
 * test setup should import it first too). A no-op on Node >= 22.19.
 *
 * - zlib.createZstdDecompress: only used to decode `Content-Encoding: zstd`, which the API server
 *   never sends unasked; the stand-in throws if it ever is used.
 * - worker_threads.markAsUncloneable: marks web objects uncloneable; a no-op is harmless here.
 * - Promise.withResolvers: standard, polyfilled per spec.
 */
import zlib from 'node:zlib';
import workerThreads from 'node:worker_threads';

const z = zlib as unknown as Record<string, unknown>;
if (typeof z.createZstdDecompress !== 'function') {
  z.createZstdDecompress = () => {
    throw new Error('zstd decompression needs Node.js >= 22.15');
  };
}

const wt = workerThreads as unknown as Record<string, unknown>;
if (typeof wt.markAsUncloneable !== 'function') wt.markAsUncloneable = () => {};

const P = Promise as unknown as { withResolvers?: unknown };
if (typeof P.withResolvers !== 'function') {
  P.withResolvers = function withResolvers<T>(this: PromiseConstructor) {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new this<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

export {};
