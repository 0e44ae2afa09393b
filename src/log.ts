import { pino } from 'pino';

/**
 * The one logger. JSON lines on stderr (stdout belongs to CLI output and the console chat).
 * Token-shaped values are redacted wherever they appear in a logged object.
 */
export const log = pino(
  {
    name: 'aptcard',
    level: process.env.LOG_LEVEL || (process.env.VITEST ? 'silent' : 'info'),
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
  pino.destination(2),
);

export type Logger = typeof log;
