/** `hookport start`: the server, exactly as `npm start` runs it. */
import { reportStartFailure, runServer } from '../server';
import { EXIT, parseCommandArgs, print, type Command } from './command';

export const startCommand: Command = {
  name: 'start',
  summary: 'start the server (configuration from config/ and the environment)',
  help: `Usage: hookport start

Starts hookport on PORT (default 8080) with the data in DATA_DIR (default ./data),
exactly as \`npm start\` does. SIGTERM or Ctrl-C stops it cleanly.

Exit codes: 0 stopped cleanly, 1 could not start (e.g. the port is in use), 78 invalid configuration.`,
  async run(args) {
    if (parseCommandArgs(args, {}).help) {
      print(this.help);
      return EXIT.OK;
    }
    await runServer().catch(reportStartFailure);
    // The server keeps the process alive; SIGTERM exits it.
    return new Promise<number>(() => undefined);
  },
};
