import { type DestinationStream, pino } from 'pino';

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
    stderr ??= pino.destination(2);
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
  return pino(
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

export const log = createLogger();

export type Logger = typeof log;
