/**
 * `hookport sign LISTENER_ID`: the request a partner would send to a listener,
 * signed by the listener's verifier exactly as POST /listeners/{id}/test-request
 * signs it, printed for curl instead of sent. The output holds a valid signature
 * (or credential) for that body: treat it like the secret.
 */
import fs from 'node:fs';
import { systemClock } from '../clock';
import { compileListener } from '../ingest/runtime-listener';
import { ListenerService } from '../listeners/listener-service';
import { signRequest, unsignedRequest, type TestMethod } from '../listeners/test-request';
import { loadSecretKey, SecretBox } from '../secrets/secret-box';
import { sealedSampleIn } from '../secrets/sealed-in-store';
import { cliConfig, CommandFailure, EXIT, openDataStore, parseCommandArgs, print, UsageError, type Command } from './command';

const HELP = `Usage: hookport sign LISTENER_ID [--body TEXT | --body-file FILE] [--content-type TYPE]
                    [--method POST|PUT|PATCH|GET] [--header 'Name: value']... [--curl]

Prints the method and URL, then the headers a partner would send for this body,
signed with the listener's verifier (its stored secrets, from DATA_DIR). The body is
sent byte for byte; without one, the listener's sample (or {"test":true}) is used.
--curl prints a complete curl command instead.

Exit codes: 0 printed, 1 no such listener or it cannot sign (every secret expired),
64 wrong arguments, 78 invalid configuration or a secret key that does not fit the data.`;

/** Single-quoted for a POSIX shell. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export const signCommand: Command = {
  name: 'sign',
  summary: "print the headers a partner would send for a body, signed with a listener's verifier",
  help: HELP,
  async run(args) {
    const { values, positionals, help } = parseCommandArgs(args, {
      body: { type: 'string' }, 'body-file': { type: 'string' }, 'content-type': { type: 'string' },
      method: { type: 'string' }, header: { type: 'string', multiple: true }, curl: { type: 'boolean' },
    }, true);
    if (help) {
      print(HELP);
      return EXIT.OK;
    }
    if (positionals.length !== 1) throw new UsageError('give exactly one listener id');
    if (values.body !== undefined && values['body-file'] !== undefined) throw new UsageError('give --body or --body-file, not both');
    const method = String(values.method ?? 'POST').toUpperCase() as TestMethod;
    if (!['POST', 'PUT', 'PATCH', 'GET'].includes(method)) throw new UsageError('--method must be POST, PUT, PATCH or GET');
    const headers: Record<string, string> = {};
    for (const header of (values.header as unknown as string[] | undefined) ?? []) {
      const colon = header.indexOf(':');
      if (colon <= 0) throw new UsageError(`--header "${header}" must look like 'Name: value'`);
      headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
    }
    const body = values['body-file'] !== undefined ? fs.readFileSync(String(values['body-file']), 'utf8') : (values.body as string | undefined);

    const config = cliConfig();
    const store = await openDataStore(config, true);
    try {
      const box = new SecretBox(loadSecretKey(config.secretKey, config.dataDir, await sealedSampleIn(store)));
      const listeners = new ListenerService(store, box, systemClock, config.publicUrl);
      const id = positionals[0]!;
      const state = await listeners.getState(id).catch(() => {
        throw new CommandFailure(`no listener ${id} in ${config.dataDir} (listener ids are 32 characters a-z0-9, case-sensitive)`);
      });
      const baseUrl = `${config.publicUrl}/hooks/${id}`;
      const request = unsignedRequest(
        { method, ...(body !== undefined ? { body } : {}), ...(values['content-type'] ? { contentType: String(values['content-type']) } : {}), headers },
        await store.getSample(id),
      );
      let signed;
      try {
        signed = signRequest(compileListener(state, { trustedProxies: [] }), request, systemClock.now(), baseUrl);
      } catch (error) {
        throw new CommandFailure((error as Error).message);
      }
      const url = baseUrl + signed.pathSuffix;
      if (values.curl) {
        const parts = ['curl', '-si', '-X', signed.method, shellQuote(url)];
        for (const [name, value] of Object.entries(signed.headers)) parts.push('-H', shellQuote(`${name}: ${value}`));
        if (signed.body.length > 0) parts.push('--data-binary', shellQuote(signed.body.toString('utf8')));
        print(parts.join(' '));
      } else {
        print([`${signed.method} ${url}`, ...Object.entries(signed.headers).map(([name, value]) => `${name}: ${value}`)].join('\n'));
      }
      return EXIT.OK;
    } finally {
      await store.close();
    }
  },
};
