/** The Slack adapter's definition: its settings, and a start that loads Bolt only then. */
import type { Adapter } from '../adapter.js';
import { readSlackConfig, type SlackConfig } from './config.js';

export const slackAdapter: Adapter<SlackConfig, 'slack'> = {
  name: 'slack',
  readConfig: readSlackConfig,
  async start(bot, config) {
    const { startSlack } = await import('./index.js');
    return startSlack(bot, config);
  },
};
