import { describe, expect, it } from 'vitest';
import { parseServeArgs } from './serve-args';

describe('parseServeArgs', () => {
  it('defaults to a random port and no fixed token', () => {
    expect(parseServeArgs([])).toMatchObject({ port: 0, token: null, dataDir: null, help: false });
  });
  it('reads --port, --token and --data-dir in both spellings', () => {
    expect(parseServeArgs(['--port', '4319', '--token=e2e-token-0123456789abcdef', '--data-dir', '/tmp/dg'])).toMatchObject({
      port: 4319,
      token: 'e2e-token-0123456789abcdef',
      dataDir: '/tmp/dg',
    });
  });
  it.each([[['--port', 'abc']], [['--port', '70000']], [['--token', 'short']], [['--data-dir']], [['--verbose']]])('rejects %j', (argv) => {
    expect(() => parseServeArgs(argv)).toThrow();
  });
});
