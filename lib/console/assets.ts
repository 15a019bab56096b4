/**
 * Where the console's views and static files are, and the static route. The
 * files are not TypeScript, so `tsc` does not copy them to dist/: they are read
 * from lib/console/ in the source tree. Static files are served under a URL
 * that carries a hash of their content, so they can be cached for a year.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';

/** lib/console in the source tree, whether this module runs from lib/ (ts-node) or dist/lib/. */
export const CONSOLE_DIR = [path.resolve(__dirname, '../../../lib/console'), __dirname].find((dir) =>
  fs.existsSync(path.join(dir, 'views')),
) ?? __dirname;

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml' };

export class StaticAssets {
  private readonly assets = new Map<string, Asset>();
  /** file name → URL with its content hash, for the views. */
  readonly urls: Record<string, string> = {};

  constructor(mountPath: string) {
    const dir = path.join(CONSOLE_DIR, 'static');
    for (const name of fs.readdirSync(dir)) {
      const type = TYPES[path.extname(name)];
      if (!type) continue;
      const body = fs.readFileSync(path.join(dir, name));
      const hash = crypto.createHash('sha256').update(body).digest('hex').slice(0, 12);
      this.assets.set(name, { body, type, etag: `"${hash}"` });
      this.urls[name.replace(/\W/g, '_')] = `${mountPath}/static/${hash}/${name}`;
    }
  }

  /** GET /static/:hash/:name — a year of caching; a changed file gets a new URL. */
  serve = (req: Request, res: Response): void => {
    const asset = this.assets.get(String(req.params.name));
    if (!asset) {
      res.status(404).type('text/plain').send('no such file');
      return;
    }
    res.setHeader('Content-Type', asset.type);
    res.setHeader('ETag', asset.etag);
    if (`"${String(req.params.hash)}"` === asset.etag) {
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    } else {
      res.setHeader('Cache-Control', 'no-cache');
    }
    if (req.headers['if-none-match'] === asset.etag) {
      res.status(304).end();
      return;
    }
    res.send(asset.body);
  };
}
