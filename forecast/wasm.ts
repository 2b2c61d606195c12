/**
 * augurs ships WASM per module; Node has no fetch-from-file for it, so each module is initialised
 * synchronously from its `.wasm` file the first time it is used.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as changepoint from '@bsull/augurs/changepoint';
import * as mstl from '@bsull/augurs/mstl';

const require = createRequire(import.meta.url);
const ready = new Set<string>();

function wasmBytes(file: string): Buffer {
  // The package's exports map hides the .wasm files, so resolve a JS entry and look beside it.
  return readFileSync(join(dirname(require.resolve('@bsull/augurs/mstl')), file));
}

function once(name: string, init: () => void): void {
  if (ready.has(name)) return;
  init();
  ready.add(name);
}

export function augursMstl(): typeof mstl {
  once('mstl', () => mstl.initSync({ module: wasmBytes('mstl_bg.wasm') }));
  return mstl;
}

export function augursChangepoint(): typeof changepoint {
  once('changepoint', () => changepoint.initSync({ module: wasmBytes('changepoint_bg.wasm') }));
  return changepoint;
}
