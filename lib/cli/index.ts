/**
 * The `hookport` command (bin/hookport.js runs this after making sure dist/ is
 * built): one file per subcommand, dispatched here. Exit codes are in
 * command.ts and docs/operations.md.
 */
import { ConfigError } from '../config';
import { backupCommand } from './backup';
import { checkConfigCommand } from './check-config';
import { CommandFailure, EXIT, print, UsageError, type Command } from './command';
import { keysCommand } from './keys';
import { signCommand } from './sign';
import { startCommand } from './start';

const COMMANDS: Command[] = [startCommand, keysCommand, backupCommand, signCommand, checkConfigCommand];

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return `Usage: hookport COMMAND [options]   (hookport COMMAND --help for details)

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

Configuration comes from config/ and the environment (DATA_DIR, HOOKPORT_SECRET_KEY, …),
as for the server. Exit codes: 0 done, 1 failed, 64 wrong arguments, 78 invalid configuration.`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    print(overview());
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    process.stderr.write(`hookport: unknown command "${name}"\n\n${overview()}\n`);
    return EXIT.USAGE;
  }
  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`hookport ${name}: ${error.message}\n\n${command.help}\n`);
      return EXIT.USAGE;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT.CONFIG;
    }
    if (error instanceof CommandFailure) {
      process.stderr.write(`hookport ${name}: ${error.message}\n`);
      return EXIT.FAILURE;
    }
    process.stderr.write(`hookport ${name} failed: ${(error as Error).stack ?? error}\n`);
    return EXIT.FAILURE;
  }
}
