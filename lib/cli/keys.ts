/**
 * `hookport keys create|list|revoke`: API keys, straight in the data directory,
 * so they work while the server is stopped — the way to get an admin key back
 * when the only one is lost. A running server notices a revocation within 10 s
 * (its authentication cache).
 */
import { ApiKeyService, viewApiKey } from '../admin/api-keys-service';
import { systemClock } from '../clock';
import type { Role } from '../store/store';
import { cliConfig, CommandFailure, EXIT, openDataStore, parseCommandArgs, print, UsageError, type Command } from './command';

const ROLES: Role[] = ['admin', 'integrator', 'support'];

const HELP = `Usage:
  hookport keys create --role admin|integrator|support [--name NAME] [--json]
  hookport keys list [--json]
  hookport keys revoke ID

Works on the data directory (DATA_DIR) directly, with or without the server
running. \`create\` prints the new key once; only its hash is stored.
To recover a lost admin key: hookport keys create --role admin --name recovery

Exit codes: 0 done, 1 no such key, 64 wrong arguments, 78 invalid configuration.`;

async function withKeys<T>(work: (service: ApiKeyService) => Promise<T>, mustExist: boolean): Promise<T> {
  const store = await openDataStore(cliConfig(), mustExist);
  try {
    return await work(new ApiKeyService(store, systemClock));
  } finally {
    await store.close();
  }
}

async function create(args: string[]): Promise<number> {
  const { values, help } = parseCommandArgs(args, { role: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } });
  if (help) return showHelp();
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  const name = typeof values.name === 'string' && values.name !== '' ? values.name : `${role} key (hookport keys create)`;
  const { doc, key } = await withKeys((service) => service.create(name, role), false);
  if (values.json) print(JSON.stringify({ ...viewApiKey(doc), key }));
  else print(`Created ${role} key "${name}" (id ${doc.id}). It is shown only now:\n\n    ${key}\n\nUse it as "Authorization: Bearer <key>".`);
  return EXIT.OK;
}

async function list(args: string[]): Promise<number> {
  const { values, help } = parseCommandArgs(args, { json: { type: 'boolean' } });
  if (help) return showHelp();
  const views = (await withKeys((service) => service.all(), true)).map(viewApiKey);
  if (values.json) {
    print(JSON.stringify(views));
    return EXIT.OK;
  }
  const rows = [['ID', 'ROLE', 'SOURCE', 'KEY', 'CREATED', 'NAME'], ...views.map((v) => [v.id, v.role, v.source, v.keyPrefix, v.createdAt, v.name])];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  print(rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n'));
  return EXIT.OK;
}

async function revoke(args: string[]): Promise<number> {
  const { positionals, help } = parseCommandArgs(args, {}, true);
  if (help) return showHelp();
  if (positionals.length !== 1) throw new UsageError('give exactly one key id (see hookport keys list)');
  const id = positionals[0]!;
  const revoked = await withKeys((service) => service.revoke(id), true);
  if (!revoked) throw new CommandFailure(`no API key ${id}; \`hookport keys list\` shows the ids`);
  print(`Revoked API key ${id}.`);
  return EXIT.OK;
}

function showHelp(): number {
  print(HELP);
  return EXIT.OK;
}

export const keysCommand: Command = {
  name: 'keys',
  summary: 'create, list and revoke API keys in the data directory (also with the server stopped)',
  help: HELP,
  async run(args) {
    const [action, ...rest] = args;
    switch (action) {
      case 'create':
        return create(rest);
      case 'list':
        return list(rest);
      case 'revoke':
        return revoke(rest);
      case undefined:
      case '--help':
      case '-h':
        return showHelp();
      default:
        throw new UsageError(`unknown keys action "${action}": use create, list or revoke`);
    }
  },
};
