/** SHUTDOWN_TIMEOUT: how long `aptcard start` waits for replies in flight on SIGTERM. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../app/config.js';
import { ConfigError } from '../src/config.js';

describe('SHUTDOWN_TIMEOUT', () => {
  it('defaults to 10 s and takes whole seconds, 0 included', () => {
    expect(loadConfig({ CACHE_DIR: 'off' }).shutdownMs).toBe(10_000);
    expect(loadConfig({ CACHE_DIR: 'off', SHUTDOWN_TIMEOUT: '25' }).shutdownMs).toBe(25_000);
    expect(loadConfig({ CACHE_DIR: 'off', SHUTDOWN_TIMEOUT: '0' }).shutdownMs).toBe(0);
  });

  it('reports a value that is not a whole number of seconds up to 600', () => {
    for (const value of ['10s', '-1', '601', 'soon']) {
      let problems: string[] = [];
      try {
        loadConfig({ CACHE_DIR: 'off', SHUTDOWN_TIMEOUT: value });
      } catch (err) {
        if (err instanceof ConfigError) problems = err.problems;
      }
      expect(problems, value).toEqual([
        `SHUTDOWN_TIMEOUT must be a whole number from 0 to 600 (got "${value}")`,
      ]);
    }
  });
});
