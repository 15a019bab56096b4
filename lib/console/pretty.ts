/**
 * Pretty-printing of captured bodies for the debug log: JSON indented, XML
 * indented by tag, anything else as is. Returns escaped HTML text, because
 * bodies come from partners.
 */
import Handlebars from 'handlebars';

interface CapturedBody {
  encoding?: string;
  content?: string;
}

export function indentXml(xml: string): string {
  const parts = xml.replace(/>\s*</g, '>\n<').split('\n');
  let depth = 0;
  return parts
    .map((part) => {
      const line = part.trim();
      if (/^<\//.test(line)) depth = Math.max(0, depth - 1);
      const out = '  '.repeat(depth) + line;
      if (/^<[^!?/][^>]*[^/]>$/.test(line) && !/<\/[^>]+>$/.test(line.slice(1))) depth += 1;
      return out;
    })
    .join('\n');
}

/** The body in its most readable form, as plain text. */
export function prettyText(body: unknown): string {
  if (body === null || body === undefined) return '';
  if (typeof body !== 'object') return String(body);
  const captured = body as CapturedBody;
  if (typeof captured.content !== 'string') return JSON.stringify(body, null, 2);
  if (captured.encoding === 'base64') return captured.content;
  const text = captured.content;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return /^\s*</.test(text) ? indentXml(text) : text;
  }
}

export function prettyBody(body: unknown): string {
  return Handlebars.Utils.escapeExpression(prettyText(body));
}
