import { describe, expect, it } from 'vitest';
import { sparkAppResources } from './spark-app-resources.js';
import { parseSparkMemory } from './spark-settings.js';

const Mi = 2 ** 20;
const Gi = 2 ** 30;

const read = (spec: unknown) => {
  const problems: string[] = [];
  return { ...sparkAppResources(spec, 'spec', problems), problems };
};

/** A SparkApplication spec with every field nodecast reads, as the operator's examples write them. */
const fullSpec = {
  type: 'Scala',
  mode: 'cluster',
  batchScheduler: 'yunikorn',
  batchSchedulerOptions: { queue: 'root.etl' },
  memoryOverheadFactor: '0.2',
  sparkConf: {
    'spark.kubernetes.executor.request.cores': '1500m',
    'spark.executor.memoryOverheadFactor': '0.25',
  },
  driver: { cores: 1, coreLimit: '1200m', memory: '512m' },
  executor: { cores: 2, coreLimit: '2', memory: '4g', memoryOverhead: '1g', instances: 3 },
  dynamicAllocation: { enabled: true, initialExecutors: 4, minExecutors: 2, maxExecutors: 10 },
};

describe('parseSparkMemory', () => {
  it('reads Spark byte strings: suffixes in any case, bare numbers in the default unit', () => {
    expect(parseSparkMemory('512m')).toBe(512 * Mi);
    expect(parseSparkMemory('4G')).toBe(4 * Gi);
    expect(parseSparkMemory('1t')).toBe(1024 * Gi);
    expect(parseSparkMemory('2048')).toBe(2048 * Mi);
    expect(parseSparkMemory('2048', 1)).toBe(2048);
    expect(parseSparkMemory('64k')).toBe(64 * 1024);
    expect(parseSparkMemory('64kb')).toBe(64 * 1024);
    expect(parseSparkMemory('3MB')).toBe(3 * Mi);
    expect(parseSparkMemory('2gb')).toBe(2 * Gi);
  });

  it('refuses what Spark refuses: spaces, fractions, Kubernetes suffixes', () => {
    expect(() => parseSparkMemory('4 GB')).toThrow('not a Spark memory size, got "4 GB"');
    expect(() => parseSparkMemory('1.5g')).toThrow('fractional sizes are not supported by Spark, got "1.5g"');
    expect(() => parseSparkMemory('4Gi')).toThrow(/got "4Gi"/);
    expect(() => parseSparkMemory(-1)).toThrow(/got -1/);
  });
});

describe('sparkAppResources: pod requests', () => {
  it('derives driver and executor requests from every field', () => {
    const r = read(fullSpec);
    expect(r.problems).toEqual([]);
    // Driver: cores is the request, coreLimit only the limit; 512m + max(0.2 x 512, 384) MiB.
    expect(r.driver).toEqual({
      cpu: 1,
      cpuLimit: 1.2,
      heapBytes: 512 * Mi,
      overheadBytes: 384 * Mi,
      memoryBytes: (512 + 384) * Mi,
    });
    // Executor: request.cores wins over cores; memoryOverhead wins over any factor.
    expect(r.executor).toEqual({
      cpu: 1.5,
      cpuLimit: 2,
      heapBytes: 4 * Gi,
      overheadBytes: Gi,
      memoryBytes: 5 * Gi,
    });
    expect(r.queue).toBe('root.etl');
    expect(r.batchScheduler).toBe('yunikorn');
    expect(r.type).toBe('Scala');
  });

  it('uses the overhead factor: spark.<role>.memoryOverheadFactor over spec.memoryOverheadFactor over 0.1', () => {
    const spec = { ...fullSpec, executor: { memory: '10g' }, driver: { memory: '10g' } };
    const r = read(spec);
    expect(r.executor.overheadBytes).toBe(2560 * Mi); // 0.25 x 10240 MiB from sparkConf
    expect(r.driver.overheadBytes).toBe(2048 * Mi); // 0.2 x 10240 MiB from spec.memoryOverheadFactor
    const plain = read({ type: 'Java', executor: { memory: '10g' } });
    expect(plain.executor.overheadBytes).toBe(1024 * Mi);
    expect(plain.executor.cpu).toBe(1);
    expect(plain.executor.cpuLimit).toBeNull();
  });

  it('defaults: 1 core, 1g + 384 MiB, 0.4 for Python and R, spark.kubernetes.memoryOverheadFactor in sparkConf', () => {
    expect(read({}).executor).toMatchObject({ cpu: 1, memoryBytes: Gi + 384 * Mi });
    expect(read({ type: 'Python', executor: { memory: '10g' } }).executor.overheadBytes).toBe(4096 * Mi);
    expect(read({ type: 'R', driver: { memory: '2g' } }).driver.overheadBytes).toBe(819 * Mi);
    const conf = read({
      sparkConf: { 'spark.kubernetes.memoryOverheadFactor': '0.3' },
      executor: { memory: '2g' },
    });
    expect(conf.executor.overheadBytes).toBe(614 * Mi);
  });

  it('reads spark.* settings from sparkConf when the typed field is absent; the typed field wins', () => {
    const r = read({
      sparkConf: {
        'spark.executor.cores': '4',
        'spark.executor.memory': '8g',
        'spark.executor.memoryOverhead': '2048',
        'spark.kubernetes.executor.limit.cores': '5',
        'spark.kubernetes.driver.request.cores': '0.5',
        'spark.driver.memory': '2g',
      },
      driver: { memory: '1g' },
    });
    expect(r.executor).toMatchObject({ cpu: 4, cpuLimit: 5, memoryBytes: 10 * Gi });
    expect(r.driver).toMatchObject({ cpu: 0.5, heapBytes: Gi });
  });

  it('adds PySpark memory (Python apps) and off-heap memory to executors, as Spark sizes the pod', () => {
    const r = read({
      type: 'Python',
      sparkConf: {
        'spark.executor.pyspark.memory': '512m',
        'spark.memory.offHeap.enabled': 'true',
        'spark.memory.offHeap.size': '1073741824',
        'spark.executor.minMemoryOverhead': '1g',
      },
      executor: { memory: '2g' },
    });
    // 2048 heap + max(0.4 x 2048 = 819, 1024 min) overhead + 512 PySpark + 1024 off-heap.
    expect(r.executor.memoryBytes).toBe((2048 + 1024 + 512 + 1024) * Mi);
  });

  it('takes the queue from the executor pods when batchSchedulerOptions has none', () => {
    expect(read({ executor: { labels: { queue: 'root.adhoc' } } }).queue).toBe('root.adhoc');
    expect(read({ executor: { annotations: { 'yunikorn.apache.org/queue': 'root.b' } } }).queue).toBe(
      'root.b',
    );
    expect(read({}).queue).toBeNull();
  });
});

describe('sparkAppResources: executor counts', () => {
  it('static allocation: instances, else Spark default 2', () => {
    expect(read({ executor: { instances: 7 } }).executors).toEqual({
      dynamicAllocation: false,
      initial: 7,
      min: 7,
      max: 7,
    });
    expect(read({}).executors.initial).toBe(2);
  });

  it('dynamic allocation starts at the largest of min, initial and instances, up to max', () => {
    expect(read(fullSpec).executors).toEqual({ dynamicAllocation: true, initial: 4, min: 2, max: 10 });
    const onlyMin = read({ dynamicAllocation: { enabled: true, minExecutors: 3, maxExecutors: 8 } });
    expect(onlyMin.executors).toEqual({ dynamicAllocation: true, initial: 3, min: 3, max: 8 });
    const instances = read({
      executor: { instances: 6 },
      dynamicAllocation: { enabled: true, initialExecutors: 1, maxExecutors: 20 },
    });
    expect(instances.executors.initial).toBe(6);
    const unbounded = read({ dynamicAllocation: { enabled: true } });
    expect(unbounded.executors).toEqual({ dynamicAllocation: true, initial: 0, min: 0, max: null });
  });

  it('dynamic allocation switched on through sparkConf alone', () => {
    const r = read({
      sparkConf: {
        'spark.dynamicAllocation.enabled': 'true',
        'spark.dynamicAllocation.minExecutors': '1',
        'spark.dynamicAllocation.maxExecutors': '12',
      },
    });
    expect(r.executors).toEqual({ dynamicAllocation: true, initial: 1, min: 1, max: 12 });
    expect(read({ dynamicAllocation: { enabled: false, maxExecutors: 9 } }).executors.dynamicAllocation).toBe(
      false,
    );
  });
});

describe('sparkAppResources: bad values', () => {
  it('names each bad field, keeps the defaults for it and reads the rest', () => {
    const r = read({
      type: 'Scalar',
      memoryOverheadFactor: 'lots',
      sparkConf: { 'spark.kubernetes.executor.request.cores': 'two' },
      driver: { cores: 1.5, memory: '4 GB' },
      executor: { memory: '8g', memoryOverhead: '1.5g', instances: -1, coreLimit: 'x' },
      dynamicAllocation: { enabled: 'yes' },
    });
    expect(r.problems).toEqual([
      'spec.type: must be one of Java, Scala, Python, R, got "Scalar"',
      'spec.driver.cores: must be a whole number >= 1, got 1.5',
      'spec.driver.memory: not a Spark memory size, got "4 GB"',
      'spec.memoryOverheadFactor: must be a number >= 0, got "lots"',
      'spec.sparkConf["spark.kubernetes.executor.request.cores"]: not a Kubernetes quantity: "two"',
      'spec.executor.coreLimit: not a Kubernetes quantity: "x"',
      'spec.executor.memoryOverhead: fractional sizes are not supported by Spark, got "1.5g"',
      'spec.executor.instances: must be a whole number >= 0, got -1',
      'spec.dynamicAllocation.enabled: must be true or false, got "yes"',
    ]);
    expect(r.driver).toMatchObject({ cpu: 1, heapBytes: Gi });
    expect(r.executor).toMatchObject({ cpu: 1, cpuLimit: null, heapBytes: 8 * Gi, overheadBytes: 384 * Mi });
    expect(r.executors.initial).toBe(2);
  });

  it('flags initial executors above maxExecutors and counts at most max', () => {
    const r = read({ dynamicAllocation: { enabled: true, minExecutors: 5, maxExecutors: 3 } });
    expect(r.problems).toEqual([
      'spec.dynamicAllocation.maxExecutors: initial executors (5) exceed maxExecutors (3)',
    ]);
    expect(r.executors).toMatchObject({ initial: 3, max: 3 });
  });
});

describe('docs/spark-operator.md worked example', () => {
  it('gives the numbers the doc states', () => {
    const r = read({
      type: 'Python',
      batchScheduler: 'yunikorn',
      batchSchedulerOptions: { queue: 'root.etl' },
      sparkConf: { 'spark.kubernetes.executor.request.cores': '3500m' },
      driver: { cores: 1, coreLimit: '1200m', memory: '2g' },
      executor: { cores: 4, coreLimit: '4', memory: '8g', instances: 5 },
      dynamicAllocation: { enabled: true, initialExecutors: 2, minExecutors: 1, maxExecutors: 20 },
    });
    expect(r.problems).toEqual([]);
    expect(r.driver).toMatchObject({ cpu: 1, cpuLimit: 1.2, memoryBytes: 2867 * Mi });
    expect(r.executor).toMatchObject({ cpu: 3.5, cpuLimit: 4, memoryBytes: 11468 * Mi });
    expect(r.executors).toEqual({ dynamicAllocation: true, initial: 5, min: 1, max: 20 });
    expect(r.queue).toBe('root.etl');
  });
});
