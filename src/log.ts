import { type DestinationStream, pino } from 'pino';

/**
 * The one logger. JSON lines on stderr (stdout belongs to CLI output and the console chat).
 * Token-shaped values are redacted wherever they appear in a logged object.
 */
export function createLogger(
  destination: DestinationStream = pino.destination(2),
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
