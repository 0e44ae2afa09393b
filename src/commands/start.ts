import type { RunningAdapter } from '../../adapters/adapter.js';
import { Bot } from '../bot.js';
import { openServingLibrary } from '../catalog/open.js';
import { watchCards } from '../catalog/watch.js';
import { ConfigError, loadConfig } from '../config.js';
import { AliasEnricher } from '../detect/enricher.js';
import { log } from '../log.js';
import { openStateStore } from '../state/open.js';
import { StateSetupError } from '../state/store.js';
import type { Command } from './command.js';
import { CARDS_OPTION, parse, reportErrors } from './shared.js';

export const startCommand: Command = {
  name: 'start',
  summary: 'run the bot: Slack and/or Discord when their tokens are set, else a console chat',
  usage: `aptcard start [--cards DIR]

Reads .env and the environment (see .env.example). With no platform token set, opens a console
chat on stdin/stdout: "/apt <query>", "@aptcard who is <name>?", any text, "help", "quit".`,
  async run(args, io) {
    const { values } = parse(args, CARDS_OPTION);
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig(io.env, values.cards);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      io.stderr.write(`aptcard: ${err.message}\nSee .env.example for every setting.\n`);
      return 2;
    }
    log.level = config.logLevel;
    const library = await openServingLibrary(config.cardsDir, config.cacheDir);
    reportErrors(io, library.current.catalog);
    if (library.current.size === 0) {
      io.stderr.write(`aptcard: no cards loaded from ${config.cardsDir}\n`);
    }
    let store: Awaited<ReturnType<typeof openStateStore>>;
    try {
      store = await openStateStore(config.state);
    } catch (err) {
      if (!(err instanceof StateSetupError)) throw err;
      io.stderr.write(`aptcard: ${err.message}\n`);
      return 2;
    }
    const bot = new Bot(library, {
      enricher: new AliasEnricher(config.enrichment, { library, store }),
      store,
    });

    const adapters: RunningAdapter[] = [];
    if (!config.slack && !config.discord) {
      const { startConsole } = await import('../../adapters/console/console.js');
      const stdin = io.stdin as NodeJS.ReadStream;
      adapters.push(
        startConsole(bot, {
          input: io.stdin,
          output: io.stdout,
          interactive: Boolean(stdin.isTTY),
        }),
      );
    }

    if (config.slack) {
      const { startSlack } = await import('../../adapters/slack/app.js');
      try {
        adapters.push(await startSlack(bot, config.slack));
      } catch (err) {
        await Promise.allSettled(adapters.map((a) => a.stop()));
        await store.close();
        throw err;
      }
    }

    if (config.discord) {
      const { startDiscord } = await import('../../adapters/discord/client.js');
      try {
        const { discord, enrichment } = config;
        adapters.push(
          await startDiscord(
            bot,
            enrichment.enabled ? discord : { ...discord, enrichChannels: [] },
          ),
        );
      } catch (err) {
        await Promise.allSettled(adapters.map((a) => a.stop()));
        await store.close();
        throw err;
      }
    }

    const watcher = config.watch
      ? watchCards(config.cardsDir, library, { cacheDir: config.cacheDir })
      : undefined;
    // Load the prose index now, not on the first user's query (a cache hit costs milliseconds).
    setImmediate(() => library.current.warm());

    const stop = async (signal: string) => {
      log.info({ signal }, 'stopping');
      await Promise.allSettled(adapters.map((a) => a.stop()));
    };
    const onSignal = (signal: NodeJS.Signals) => void stop(signal);
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    try {
      await Promise.all(adapters.map((a) => a.done));
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      await watcher?.stop();
      await store.close();
    }
    return 0;
  },
};
