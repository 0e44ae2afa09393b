import type { Readable } from 'node:stream';

/** Where a command reads and writes; tests pass their own. */
export interface CliIO {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  stdin: Readable;
  env: Record<string, string | undefined>;
}

export interface Command {
  name: string;
  /** Full usage, shown by `aptcard NAME --help` and on a usage error. */
  usage: string;
  /** Returns the process exit code. */
  run(args: string[], io: CliIO): Promise<number>;
}

/**
 * A command as `aptcard --help` lists it; its module is loaded only when it runs, so a
 * `search` does not load Bolt, discord.js or the importers (app/commands/index.ts).
 */
export interface CommandEntry {
  name: string;
  /** One line for `aptcard --help`. */
  summary: string;
  load(): Promise<Command>;
}

/** A wrong invocation: the CLI prints the message and the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Something the command needs is missing or unreadable (a cards folder): message, exit code 2. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}
