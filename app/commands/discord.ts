/** `aptcard discord register|invite`: Discord set-up, with the Discord adapter's settings. */
import { type Command, UsageError } from '../../src/commands/command.js';
import { parse } from '../../src/commands/shared.js';
import { ConfigError } from '../../src/config.js';
import { type AppConfig, loadConfig } from '../config.js';

const DISCORD_VARS = ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'DISCORD_API_URL'] as const;

/** Why a registration failed, in words that say what to fix (never the token itself). */
function failure(err: unknown): string {
  const status =
    typeof err === 'object' && err !== null && 'status' in err ? Number(err.status) : undefined;
  const message = err instanceof Error ? err.message : String(err);
  if (status === 401)
    return 'Discord rejected DISCORD_TOKEN (401 Unauthorized): copy the bot token again';
  if (status === 403) {
    return `Discord refused (403): ${message}. For --guild, the bot must be in that server with the applications.commands scope (see "aptcard discord invite")`;
  }
  if (status === 404)
    return `Discord answered 404: ${message}. Check DISCORD_APPLICATION_ID and the guild id`;
  return message;
}

export const discordCommand: Command = {
  name: 'discord',
  usage: `aptcard discord register [--guild ID]   register /apt: in one server (instant) or globally (up to an hour)
aptcard discord invite                    print the link that adds the bot to a server

Reads DISCORD_TOKEN, DISCORD_APPLICATION_ID and (optionally) DISCORD_API_URL from .env or the
environment. Registering replaces the application's command list with aptcard's one command.`,
  async run(args, io) {
    const { values, positionals } = parse(args, { guild: { type: 'string' } });
    const [sub, ...rest] = positionals;
    if (sub !== 'register' && sub !== 'invite') {
      throw new UsageError(sub ? `unknown subcommand "${sub.slice(0, 40)}"` : 'missing subcommand');
    }
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]?.slice(0, 40)}"`);
    const guild = values.guild?.trim();
    if (guild !== undefined && !/^\d{5,25}$/.test(guild)) {
      throw new UsageError(
        '--guild must be the numeric server id (Developer Mode > Copy Server ID)',
      );
    }
    if (sub === 'invite' && guild !== undefined) throw new UsageError('--guild is for register');

    // Only the Discord settings matter here: a Slack problem must not block Discord set-up.
    const env = Object.fromEntries(DISCORD_VARS.map((k) => [k, io.env[k]]));
    let config: AppConfig;
    try {
      config = loadConfig(env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      io.stderr.write(`aptcard discord: ${err.message}\n`);
      return 2;
    }
    const { inviteUrl, registerCommands } = await import('../../adapters/discord/register.js');
    const applicationId = env.DISCORD_APPLICATION_ID?.trim();

    if (sub === 'invite') {
      if (!applicationId) {
        io.stderr.write('aptcard discord: DISCORD_APPLICATION_ID is not set\n');
        return 2;
      }
      io.stdout.write(`${inviteUrl(applicationId)}\n`);
      return 0;
    }

    if (!config.discord) {
      io.stderr.write(
        'aptcard discord: set DISCORD_TOKEN and DISCORD_APPLICATION_ID (Developer Portal > your application)\n',
      );
      return 2;
    }
    const { token, applicationId: appId, apiUrl } = config.discord;
    try {
      const registered = await registerCommands({
        token,
        applicationId: appId,
        ...(apiUrl ? { apiUrl } : {}),
        ...(guild ? { guildId: guild } : {}),
      });
      const names = registered.map((c) => `/${c.name}`).join(', ') || '/apt';
      io.stdout.write(
        guild
          ? `Registered ${names} in server ${guild}: it is available there now.\n`
          : `Registered ${names} globally: Discord can take up to an hour to show it in every server.\nFor instant testing, register in one server: aptcard discord register --guild <server id>\n`,
      );
      io.stdout.write(`Invite link (scopes bot + applications.commands): ${inviteUrl(appId)}\n`);
      return 0;
    } catch (err) {
      io.stderr.write(`aptcard discord: registration failed: ${failure(err)}\n`);
      return 1;
    }
  },
};
