/**
 * @kubernetes/client-node 2.0.1 depends on undici 8, which needs Node >= 22.19 and fails on
 * Node 20: it binds zlib.createZstdDecompress and calls worker_threads.markAsUncloneable while
 * loading, and uses Promise.withResolvers per request (all added in Node 22). This fills in the
 * three so the library works on Node 20: zstd-encoded responses then fail (no Kubernetes API
 * server sends them unasked) and structured-clone marking is a no-op. Import this module before '@kubernetes/client-node'
 * (ES modules evaluate in import order). Remove when the project runs on Node 22.
 */
import workerThreads from 'node:worker_threads';
import zlib from 'node:zlib';

type Patchable = Record<string, unknown>;

const z = zlib as unknown as Patchable & { constants: Record<string, number> };
if (typeof z.createZstdDecompress !== 'function') {
  z.createZstdDecompress = () => {
    throw new Error('zstd content-encoding is not supported on this Node.js version');
  };
  // undici reads this constant while binding the (absent) decompressor; any number does.
  z.constants.ZSTD_d_windowLogMax ??= 100;
}
const wt = workerThreads as unknown as Patchable;
if (typeof wt.markAsUncloneable !== 'function') wt.markAsUncloneable = () => undefined;

if (typeof (Promise as unknown as Patchable).withResolvers !== 'function') {
  (Promise as unknown as Patchable).withResolvers = function withResolvers<T>() {
    let resolve!: (value: T) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
