/**
 * Turns a JSON.parse SyntaxError into a detail a sender can act on:
 * "line 3, column 8: Unexpected token 'x'".
 *
 * Node 20 (V8 11.3) messages look like
 *   Expected ',' or '}' after property value in JSON at position 12
 *   Unexpected end of JSON input
 *   Unexpected token 'x', ..."b": x }" is not valid JSON
 * Newer V8 appends "(line L column C)" to the first kind; the position is taken
 * from "at position N" either way, and the last kind has none, so the grammar
 * scanner finds it.
 */
import { findJsonSyntaxError } from './json-syntax';
import { positionOf } from './text-position';

const POSITION = /\bat position (\d+)/;
const POSITION_SUFFIX = /\s+in JSON at position \d+.*$/s;
const TOKEN_WITH_CONTEXT = /^(Unexpected token '[\s\S]*?'), [\s\S]*is not valid JSON$/;

function errorIndex(message: string, text: string): number {
  const match = POSITION.exec(message);
  if (match) return Number(match[1]);
  if (message.startsWith('Unexpected end of JSON input')) return text.length;
  const index = findJsonSyntaxError(text);
  return index === -1 ? text.length : index;
}

function reasonOf(message: string): string {
  const token = TOKEN_WITH_CONTEXT.exec(message);
  if (token) return token[1];
  return message.replace(POSITION_SUFFIX, '');
}

/** "line L, column C: reason" for an error thrown by JSON.parse(text). */
export function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const { line, column } = positionOf(text, errorIndex(message, text));
  return `line ${line}, column ${column}: ${reasonOf(message)}`;
}
