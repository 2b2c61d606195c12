import { describe, expect, it } from 'vitest';
import { parseCollectFlags } from './collect-flags.js';

describe('parseCollectFlags', () => {
  it('takes the node from NODE_NAME and defaults the rest', () => {
    const flags = parseCollectFlags([], { NODE_NAME: 'n1' });
    expect(flags).toMatchObject({
      nodeName: 'n1',
      port: 9102,
      host: '0.0.0.0',
      intervalMs: 15_000,
      timeoutMs: 10_000,
      insecureSkipTlsVerify: false,
      groupLabel: 'nodecast.io/node-group',
    });
    expect(flags).toMatchObject({ kubeletUrl: undefined });
  });

  it('reads every flag', () => {
    const flags = parseCollectFlags(
      [
        '--node-name=n2',
        '--kubelet-url=https://10.0.0.7:10250',
        '--insecure-skip-tls-verify',
        '--port=0',
        '--interval=1m',
        '--timeout=500ms',
        '--token-file=/tmp/t',
        '--group=spark-executor',
      ],
      { NODE_NAME: 'n1' },
    );
    expect(flags).toMatchObject({
      nodeName: 'n2',
      kubeletUrl: 'https://10.0.0.7:10250',
      insecureSkipTlsVerify: true,
      port: 0,
      intervalMs: 60_000,
      timeoutMs: 500,
      tokenFile: '/tmp/t',
      group: 'spark-executor',
    });
  });

  it.each([
    [[], {}, /--node-name is required/],
    [['--port=99999'], { NODE_NAME: 'n' }, /--port must be a port number/],
    [['--interval=soon'], { NODE_NAME: 'n' }, /--interval must be a duration/],
    [['--kubelet-url=10.0.0.7:10250'], { NODE_NAME: 'n' }, /--kubelet-url must be an http\(s\) URL/],
    [['--bogus'], { NODE_NAME: 'n' }, /Unknown option '--bogus'/],
  ])('rejects %j', (argv, env, message) => {
    expect(() => parseCollectFlags(argv, env)).toThrow(message);
  });

  it('answers help', () => {
    expect(parseCollectFlags(['--help'], {})).toBe('help');
  });
});
