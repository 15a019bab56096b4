/** Where an offset falls in a text, for error details that a sender can act on. */
export interface TextPosition {
  /** 1-based line; lines end at LF (so CRLF counts once). */
  line: number;
  /** 1-based column, counted in UTF-16 code units as JavaScript strings are. */
  column: number;
}

export function positionOf(text: string, index: number): TextPosition {
  const end = Math.max(0, Math.min(index, text.length));
  let line = 1;
  let lineStart = 0;
  let newline = text.indexOf('\n');
  while (newline !== -1 && newline < end) {
    line += 1;
    lineStart = newline + 1;
    newline = text.indexOf('\n', lineStart);
  }
  return { line, column: end - lineStart + 1 };
}
