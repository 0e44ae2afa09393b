/** The `aptcard` command line: the entry bin/aptcard.js runs. */
import { config as loadDotenv } from 'dotenv';
import { type CliIO, EnvironmentError, UsageError } from '../src/commands/command.js';
import { COMMANDS } from './commands/index.js';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `aptcard: threat-actor profile cards for Slack, Discord and the terminal

Usage: aptcard <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "aptcard <command> --help" for a command's options.
Cards come from --cards DIR, else CARDS_DIR, else the synced data folder (aptcard sync), else
the bundled seeds/ folder.
Exit status: 0 found or ok, 1 not found or invalid card, 2 usage or environment error.
`;
}

/** Run the CLI; returns the exit code. Errors are printed, never thrown. */
export async function main(argv: string[], io?: CliIO): Promise<number> {
  if (!io) {
    loadDotenv({ quiet: true });
    // `aptcard search ... | head -1`: a reader that stops reading is normal for a script, not
    // a crash with a stack trace. Stop quietly, as other Unix tools do.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  const cli: CliIO = io ?? {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  };
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    cli.stdout.write(help());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    cli.stdout.write('aptcard 0.1.0\n');
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    cli.stderr.write(`aptcard: unknown command "${name.slice(0, 40)}"\n\n${help()}`);
    return 2;
  }
  const command = await entry.load();
  if (args.includes('--help') || args.includes('-h')) {
    cli.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args, cli);
  } catch (err) {
    if (err instanceof UsageError) {
      cli.stderr.write(`aptcard ${command.name}: ${err.message}\n\nUsage: ${command.usage}\n`);
      return 2;
    }
    if (err instanceof EnvironmentError) {
      cli.stderr.write(`aptcard ${command.name}: ${err.message}\n`);
      return 2;
    }
    cli.stderr.write(
      `aptcard ${command.name}: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    return 1;
  }
}
