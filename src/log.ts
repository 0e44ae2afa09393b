import { createRequire } from 'node:module';
import type { DestinationStream, Logger as PinoLogger } from 'pino';

/**
 * pino, loaded on the first log line: a one-shot command (`aptcard search`) usually logs
 * nothing, and pino with its dependencies is a few dozen CommonJS files to load and compile.
 */
let pinoModule: typeof import('pino') | undefined;
const pinoLib = () => {
  pinoModule ??= createRequire(import.meta.url)('pino') as typeof import('pino');
  return pinoModule.pino;
};

/** Takes every log line instead of stderr (the console chat on a terminal: see setLogSink). */
export type LogSink = (line: string) => void;

let sink: LogSink | undefined;
let stderr: DestinationStream | undefined;

/**
 * Log lines go to stderr, unless something took them: an interactive console prints them above
 * its prompt instead of in the middle of the line being typed. Undefined gives them back.
 */
export function setLogSink(next: LogSink | undefined): void {
  sink = next;
}

/**
 * A line for the person running the bot that is not a log record ("could not load the public
 * catalogs ..."): above the console's prompt when a sink took the log lines, else on `fallback`
 * (stderr), so it never lands after the prompt in the middle of what someone types.
 */
export function notice(text: string, fallback: { write(chunk: string): unknown }): void {
  if (sink) sink(text);
  else fallback.write(`${text}\n`);
}

/** The default destination: stderr (opened on first use), or the sink when one is set. */
const switchable: DestinationStream = {
  write(line: string) {
    if (sink) {
      sink(line);
      return;
    }
    stderr ??= pinoLib().destination(2);
    stderr.write(line);
  },
};

/**
 * The one logger. JSON lines on stderr (stdout belongs to CLI output and the console chat).
 * Token-shaped values are redacted wherever they appear in a logged object.
 */
export function createLogger(
  destination: DestinationStream = switchable,
  level = process.env.LOG_LEVEL || (process.env.VITEST ? 'silent' : 'info'),
) {
  return pinoLib()(
    {
      name: 'aptcard',
      level,
      redact: {
        paths: [
          'token',
          '*.token',
          'botToken',
          'appToken',
          'signingSecret',
          '*.botToken',
          '*.appToken',
          '*.signingSecret',
          'headers.authorization',
          '*.headers.authorization',
          'config.slack',
          'config.discord',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

export type Logger = PinoLogger;

/**
 * The one logger, made on first use (see pinoLib). Every property read goes to the real pino
 * logger; its methods are bound to it, so `this` inside pino is pino.
 */
function lazyLogger(make: () => Logger): Logger {
  let real: Logger | undefined;
  const bound = new Map<PropertyKey, unknown>();
  const target = () => {
    real ??= make();
    return real;
  };
  return new Proxy({} as Logger, {
    get(_, key) {
      const value: unknown = Reflect.get(target(), key);
      if (typeof value !== 'function') return value;
      let fn = bound.get(key);
      if (fn === undefined || (fn as { original?: unknown }).original !== value) {
        fn = Object.assign(value.bind(target()), { original: value });
        bound.set(key, fn);
      }
      return fn;
    },
    set(_, key, value) {
      return Reflect.set(target(), key, value);
    },
    has(_, key) {
      return Reflect.has(target(), key);
    },
  });
}

export const log: Logger = lazyLogger(() => createLogger());
