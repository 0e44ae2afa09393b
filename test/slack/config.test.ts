import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.js';

describe('Slack configuration', () => {
  const base = { SLACK_BOT_TOKEN: 'xoxb-1', CACHE_DIR: 'off' };

  it('Socket Mode with an app token; HTTP mode with a signing secret, on PORT and SLACK_HOST', () => {
    expect(loadConfig({ ...base, SLACK_APP_TOKEN: 'xapp-1' }).slack).toEqual({
      botToken: 'xoxb-1',
      appToken: 'xapp-1',
      port: 3000,
      answerInChannel: false,
    });
    expect(
      loadConfig({
        ...base,
        SLACK_SIGNING_SECRET: 's',
        PORT: '8080',
        SLACK_HOST: '127.0.0.1',
        SLACK_API_URL: 'http://127.0.0.1:9/api',
        SLACK_ANSWER_IN_CHANNEL: 'true',
      }).slack,
    ).toEqual({
      botToken: 'xoxb-1',
      signingSecret: 's',
      apiUrl: 'http://127.0.0.1:9/api',
      port: 8080,
      host: '127.0.0.1',
      answerInChannel: true,
    });
  });

  it('ADMIN_USERS: Slack user ids who may change channel settings; anything else is a problem', () => {
    const env = { ...base, SLACK_APP_TOKEN: 'xapp-1' };
    expect(loadConfig({ ...env, ADMIN_USERS: ' U0ALICE, W0GRID1 ,' }).slack?.adminUsers).toEqual([
      'U0ALICE',
      'W0GRID1',
    ]);
    expect(() => loadConfig({ ...env, ADMIN_USERS: 'U0ALICE,@bob' })).toThrow(
      /ADMIN_USERS must list Slack user ids .* not "@bob"/,
    );
  });

  it('no Slack adapter without a bot token', () => {
    expect(loadConfig({ CACHE_DIR: 'off' }).slack).toBeUndefined();
  });
});
