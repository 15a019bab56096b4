/**
 * Handlebars' own error texts, said as a person would: its parser reports
 * "Parse error on line 1:\n{{#if x}}abc\n------------^\nExpecting 'OPEN_INVERSE_CHAIN',
 * 'INVERSE', 'OPEN_ENDBLOCK', got 'EOF'" (grammar token names and an ASCII pointer);
 * this turns that into "line 1, column 13: the template ends where {{else}} or
 * {{/…}} was expected". Compiler errors carry lineNumber/column and are kept.
 */

/** Handlebars grammar tokens, as the template's author knows them. */
const TOKENS: Record<string, string> = {
  EOF: 'the end of the template',
  INVALID: 'a character that cannot start a name or value',
  CONTENT: 'text',
  OPEN: '{{',
  OPEN_UNESCAPED: '{{{',
  OPEN_BLOCK: '{{#…',
  OPEN_ENDBLOCK: '{{/…}}',
  OPEN_INVERSE: '{{^…',
  OPEN_INVERSE_CHAIN: '{{else …}}',
  INVERSE: '{{else}}',
  OPEN_PARTIAL: '{{>…',
  OPEN_PARTIAL_BLOCK: '{{#>…',
  CLOSE: '}}',
  CLOSE_UNESCAPED: '}}}',
  CLOSE_RAW_BLOCK: '}}}}',
  OPEN_SEXPR: '(',
  CLOSE_SEXPR: ')',
  OPEN_BLOCK_PARAMS: 'as |…|',
  CLOSE_BLOCK_PARAMS: '|',
  ID: 'a name',
  STRING: 'a string',
  NUMBER: 'a number',
  BOOLEAN: 'true or false',
  UNDEFINED: 'undefined',
  NULL: 'null',
  DATA: '@…',
  SEP: '. or /',
  EQUALS: '=',
  COMMENT: 'a comment',
};

const PARSE_ERROR = /^Parse error on line (\d+):\n[^\n]*\n(-*)\^\n([\s\S]*)$/;
const EXPECTING = /^Expecting (.*), got '([^']*)'$/;

function token(name: string): string {
  return TOKENS[name] ?? name.toLowerCase().replace(/_/g, ' ');
}

function oneOf(names: string[]): string {
  const words = [...new Set(names.map(token))];
  const shown = words.length > 5 ? [...words.slice(0, 5), '…'] : words;
  return shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

/** "line L, column C: what is wrong", or the message as it is when it has no position. */
export function describeTemplateError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const parse = PARSE_ERROR.exec(message);
  if (parse) {
    const [, line, pointer, rest] = parse;
    const expecting = EXPECTING.exec(rest!.trim());
    let what = rest!.trim();
    if (expecting) {
      const expected = expecting[1]!.split(', ').map((name) => name.replace(/'/g, ''));
      const got = expecting[2]!;
      if ((got === 'INVALID' || got === 'EOF') && expected.includes('CLOSE')) what = 'a {{…}} is not closed with }}';
      else if (got === 'CLOSE_UNESCAPED') what = 'found }}}, which Handlebars reads as one closing; put a space before the last } (e.g. {{json a}} })';
      else if (got === 'INVALID') what = 'found something Handlebars cannot read here (an unclosed {{…}}, or a character a name cannot hold)';
      else what = `${got === 'EOF' ? 'the template ends' : `found ${token(got)}`} where ${oneOf(expected)} was expected`;
    }
    return `line ${line}, column ${pointer!.length + 1}: ${what}`;
  }
  const located = error as { lineNumber?: unknown; column?: unknown };
  if (typeof located.lineNumber === 'number') {
    const column = typeof located.column === 'number' ? `, column ${located.column + 1}` : '';
    return `line ${located.lineNumber}${column}: ${message.replace(/ - \d+:\d+$/, '')}`;
  }
  return message;
}
