/** The Slack adapter's settings (SLACK_*, PORT), read through the core's Settings engine. */
import type { Settings } from '../../src/config.js';

export interface SlackConfig {
  botToken: string;
  /** Set: Socket Mode. Unset: HTTP mode on `port` with `signingSecret`. */
  appToken?: string;
  signingSecret?: string;
  apiUrl?: string;
  port: number;
  /** Interface to listen on (SLACK_HOST); unset: all interfaces. */
  host?: string;
  /** Answer /apt in the channel for everyone instead of privately. */
  answerInChannel: boolean;
  /**
   * ADMIN_USERS: user ids who may change channel settings (`/apt settings`) besides the
   * workspace's admins and owners.
   */
  adminUsers?: string[];
}

/** A Slack user id: "U" (or "W" on Enterprise Grid) and capitals and digits. */
const USER_ID_RE = /^[UW][A-Z0-9]{2,20}$/;

/** The Slack settings, or undefined when SLACK_BOT_TOKEN is not set (no Slack adapter). */
export function readSlackConfig(settings: Settings): SlackConfig | undefined {
  const botToken = settings.secret('SLACK_BOT_TOKEN', 'xoxb-');
  const appToken = settings.secret('SLACK_APP_TOKEN', 'xapp-');
  const signingSecret = settings.secret('SLACK_SIGNING_SECRET');
  const apiUrl = settings.url('SLACK_API_URL');
  const port = settings.int('PORT', 3000, 0, 65535);
  const host = settings.get('SLACK_HOST');
  const adminUsers = settings.list('ADMIN_USERS');
  const notIds = adminUsers.filter((id) => !USER_ID_RE.test(id));
  if (notIds.length) {
    settings.problem(
      `ADMIN_USERS must list Slack user ids (U0123ABCD, from a profile's "Copy member ID"), not "${notIds[0]?.slice(0, 30)}"`,
    );
  }
  if (!botToken) {
    if (appToken || signingSecret) {
      settings.problem('SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not');
    }
    return undefined;
  }
  if (!appToken && !signingSecret) {
    settings.problem(
      'SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is',
    );
  }
  return {
    botToken,
    ...(appToken ? { appToken } : {}),
    ...(signingSecret ? { signingSecret } : {}),
    ...(apiUrl ? { apiUrl } : {}),
    port,
    ...(host ? { host } : {}),
    answerInChannel: settings.bool('SLACK_ANSWER_IN_CHANNEL', false),
    ...(adminUsers.length ? { adminUsers: adminUsers.filter((id) => USER_ID_RE.test(id)) } : {}),
  };
}
