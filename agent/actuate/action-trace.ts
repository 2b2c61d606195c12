/** The seam through which telemetry wraps each provider write (see Actuator's traceAction). */
export interface ScaleActionInfo {
  readonly group: string;
  readonly direction: 'out' | 'in';
  readonly from: number;
  readonly to: number;
  /** Reason codes of the decision. */
  readonly reasons: readonly string[];
  /** Scale-in: the nodes removed. */
  readonly nodes?: readonly string[];
}

export type ActionTracer = <T>(action: ScaleActionInfo, fn: () => Promise<T>) => Promise<T>;

export const untraced: ActionTracer = (_action, fn) => fn();
