/** What every `nodecast` command writes to: the one IO seam of the command line (tests pass buffers). */
export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
}
