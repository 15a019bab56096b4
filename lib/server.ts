/**
 * Starts hookport: configuration, services, the HTTP server with its slow-client
 * protections, the admin key bootstrap, and a graceful SIGTERM (stop accepting,
 * finish in-flight requests and deliveries, close the store).
 */
import http from 'node:http';
import { loadConfig, ConfigError, type Config } from './config';
import { createServices, type ServiceOptions, type Services } from './services';
import { createApp } from './app';
import { flushLogs } from './log-destination';

export interface RunningServer {
  server: http.Server;
  services: Services;
  port: number;
  stop(): Promise<void>;
}

export async function startServer(config: Config, options: ServiceOptions = {}): Promise<RunningServer> {
  const services = await createServices(config, options);
  const { generated, revoked } = await services.apiKeys.bootstrap(config.adminKey);
  for (const doc of revoked) {
    services.logger.warn({ apiKeyId: doc.id, name: doc.name, keyPrefix: doc.keyPrefix },
      'HOOKPORT_ADMIN_KEY changed: the admin key it replaces was revoked');
  }
  if (generated) {
    // Printed once, on purpose to stdout and outside the JSON logs: it is the only copy.
    process.stdout.write(
      `\nhookport: no API key existed, so an admin key was generated. It is shown only now:\n\n    ${generated}\n\n` +
        `Use it as "Authorization: Bearer <key>". Store it somewhere safe.\n\n`,
    );
  }
  const app = createApp(services);
  const server = http.createServer(
    {
      maxHeaderSize: config.server.maxHeaderBytes,
      headersTimeout: config.server.headersTimeoutMs,
      requestTimeout: config.server.requestTimeoutMs,
      keepAliveTimeout: config.server.keepAliveTimeoutMs,
      // How often Node checks the two timeouts above; its 30 s default would let a slow client linger that long.
      connectionsCheckingInterval: Math.max(100, Math.min(5_000, Math.floor(config.server.headersTimeoutMs / 4))),
    },
    app,
  );
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    await services.close();
    throw error;
  }
  await services.start();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  services.logger.info({ port, publicUrl: config.publicUrl, store: services.store.name, dataDir: config.dataDir }, 'hookport listening');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      services.logger.info('shutting down: no new connections, finishing in-flight work');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections that finish their request go idle; close them as they do.
      const sweeper = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
      void closed.then(() => clearInterval(sweeper));
      // In-flight requests get the timeout less a reserve in which the services close (see runServer's hard stop).
      const reserve = Math.min(2_000, Math.floor(config.server.shutdownTimeoutMs / 4));
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, config.server.shutdownTimeoutMs - reserve).unref());
      await Promise.race([closed, deadline]);
      clearInterval(sweeper);
      server.closeAllConnections();
      await services.close();
      services.logger.info('stopped');
    })());
  return { server, services, port, stop };
}

/** One line for what an operator can fix (exit 78 for configuration, 1 otherwise); a stack only for the unexpected. */
export function reportStartFailure(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    const { address, port } = error as { address?: string; port?: number };
    const where = `${address ?? ''}:${port ?? ''}`;
    const why = code === 'EADDRINUSE' ? 'is already in use (another hookport, or another program); stop it or choose another PORT'
      : code === 'EACCES' ? 'may not be opened by this user; choose a PORT above 1023'
      : 'is not an address of this machine; check HOST';
    process.stderr.write(`hookport: cannot listen on ${where}: it ${why}\n`);
    process.exit(1);
  }
  process.stderr.write(`hookport failed to start: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
}

/** Loads configuration, starts, and stops cleanly on SIGTERM/SIGINT. */
export async function runServer(): Promise<void> {
  const config = loadConfig();
  const running = await startServer(config);
  // A broken stdout pipe must not make process.stdout's error event fatal (the JSON logs have their own destination).
  process.stdout.on('error', () => undefined);
  const shutdown = () => {
    // Whatever happens below (a log pipe that blocks, a close that hangs), the process ends in time (#11 finding 13).
    setTimeout(() => process.exit(1), config.server.shutdownTimeoutMs).unref();
    running.stop().then(
      async () => {
        await flushLogs(running.services.logger, 500);
        process.exit(0);
      },
      (error) => {
        running.services.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

if (require.main === module) {
  runServer().catch(reportStartFailure);
}
