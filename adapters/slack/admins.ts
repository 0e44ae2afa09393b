/**
 * Slack's rule for channel settings: the workspace's admins and owners (users.info: is_admin,
 * is_owner, is_primary_owner; needs the users:read scope) and the people in ADMIN_USERS may
 * change them; anyone may see them. users.info answers are kept a minute, so a run of changes
 * costs one call.
 */
import type { webApi } from '@slack/bolt';
import type { SettingsAccess } from '../../src/core/types.js';
import type { Logger } from '../../src/log.js';
import { slackError } from './bolt.js';

export const WHO_MAY_CHANGE = 'workspace admins and owners, and the people in ADMIN_USERS,';

const TTL_MS = 60_000;
const MAX_USERS = 1_000;

export class SlackAdmins {
  private readonly known = new Map<string, { at: number; admin: boolean }>();

  constructor(
    private readonly listed: readonly string[],
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** May `user` change channel settings? A users.info failure counts as no (and is logged). */
  async mayChange(client: webApi.WebClient, user: string): Promise<boolean> {
    if (this.listed.includes(user)) return true;
    const hit = this.known.get(user);
    if (hit && this.now() - hit.at < TTL_MS) return hit.admin;
    let admin: boolean;
    try {
      const { user: u } = await client.users.info({ user });
      admin = Boolean(u?.is_admin || u?.is_owner || u?.is_primary_owner);
    } catch (err) {
      // Not kept: the next try asks again (a missing users:read scope shows in every one).
      this.logger.warn(
        { err: slackError(err), user },
        'users.info failed: the user may not change settings (does the app have the users:read scope?)',
      );
      return false;
    }
    this.known.delete(user);
    this.known.set(user, { at: this.now(), admin });
    if (this.known.size > MAX_USERS) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
    return admin;
  }

  /** What the core is told for a request from `user`. */
  access(client: webApi.WebClient, user: string): SettingsAccess {
    return { mayChange: () => this.mayChange(client, user), whoMayChange: WHO_MAY_CHANGE };
  }
}
