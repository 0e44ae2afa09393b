import { PassThrough, Readable } from 'node:stream';
import { main } from '../../app/cli.js';
import type { CliIO } from '../../src/commands/command.js';

/** A CliIO that records what a command writes. `env` is used as given. */
export function fakeIO(
  env: Record<string, string | undefined>,
  stdin: Readable = new PassThrough(),
) {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin,
    env,
  };
  return { io, out: () => out, err: () => err };
}

/** Run `aptcard ARGV` in-process with these stdin lines; the cache is off unless env says. */
export async function runCli(
  argv: string[],
  stdin: string[] = [],
  env: Record<string, string> = {},
) {
  const fake = fakeIO({ CACHE_DIR: 'off', ...env }, Readable.from(stdin.map((l) => `${l}\n`)));
  const code = await main(argv, fake.io);
  return { code, stdout: fake.out(), stderr: fake.err() };
}
