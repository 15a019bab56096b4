/**
 * Handlebars views of the console, compiled once at start. `{{value}}` escapes
 * HTML; the views use triple braces only for HTML this module produced itself
 * (the page body inside the layout, and the `pretty` helper's escaped output).
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { CONSOLE_DIR } from './assets';
import { prettyBody } from './pretty';

export type View = (data: Record<string, unknown>) => string;

function registerHelpers(hbs: typeof Handlebars): void {
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('or', (a: unknown, b: unknown) => a || b);
  hbs.registerHelper('json', (value: unknown) => JSON.stringify(value, null, 2));
  hbs.registerHelper('time', (value: unknown) => (typeof value === 'string' ? value.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '—'));
  hbs.registerHelper('percent', (value: unknown) => (typeof value === 'number' ? `${Math.round(value * 100)}%` : '—'));
  hbs.registerHelper('pretty', (body: unknown) => new hbs.SafeString(prettyBody(body)));
}

export class Views {
  private readonly hbs = Handlebars.create();
  private readonly views = new Map<string, View>();
  private readonly layout: View;

  constructor() {
    registerHelpers(this.hbs);
    const dir = path.join(CONSOLE_DIR, 'views');
    const partials = path.join(dir, 'partials');
    for (const name of fs.readdirSync(partials)) {
      this.hbs.registerPartial(path.basename(name, '.hbs'), fs.readFileSync(path.join(partials, name), 'utf8'));
    }
    for (const name of fs.readdirSync(dir)) {
      if (!name.endsWith('.hbs')) continue;
      this.views.set(path.basename(name, '.hbs'), this.hbs.compile(fs.readFileSync(path.join(dir, name), 'utf8'), { strict: false }));
    }
    this.layout = this.view('layout');
  }

  view(name: string): View {
    const view = this.views.get(name);
    if (!view) throw new Error(`no console view ${name}`);
    return view;
  }

  /** A whole page: the view inside the layout. */
  page(name: string, data: Record<string, unknown>): string {
    return this.layout({ ...data, body: this.view(name)(data) });
  }

  /** A partial on its own (debug log rows fetched by the page's script). */
  partial(name: string, data: Record<string, unknown>): string {
    return this.hbs.compile(`{{> ${name}}}`)(data);
  }
}
