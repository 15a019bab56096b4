/**
 * Finds where a JSON text first breaks the grammar of RFC 8259
 * (https://www.rfc-editor.org/rfc/rfc8259#section-2).
 *
 * Only used on the error path: V8's JSON.parse messages carry "at position N"
 * for most errors, but "Unexpected token 'x', "…" is not valid JSON" (Node 20)
 * carries no position at all, and a sender needs a line and column to fix a body.
 * Iterative, so deeply nested input cannot overflow the stack.
 */
const enum Expect {
  Value,
  ValueOrArrayEnd,
  KeyOrObjectEnd,
  Key,
  Colon,
  CommaOrEnd,
  Nothing,
}

const OBJECT = 1;
const ARRAY = 2;

class Scanner {
  index = 0;
  constructor(private readonly text: string) {}

  /** Returns the index of the first error, or -1 when the text is valid JSON. */
  firstError(): number {
    const text = this.text;
    const stack: number[] = [];
    let expect = Expect.Value;
    const afterValue = (): Expect => (stack.length === 0 ? Expect.Nothing : Expect.CommaOrEnd);
    for (;;) {
      this.skipWhitespace();
      if (this.index >= text.length) return expect === Expect.Nothing ? -1 : text.length;
      const char = text[this.index];
      switch (expect) {
        case Expect.ValueOrArrayEnd:
        case Expect.Value:
          if (expect === Expect.ValueOrArrayEnd && char === ']') {
            stack.pop();
            this.index += 1;
            expect = afterValue();
          } else if (char === '{') {
            stack.push(OBJECT);
            this.index += 1;
            expect = Expect.KeyOrObjectEnd;
          } else if (char === '[') {
            stack.push(ARRAY);
            this.index += 1;
            expect = Expect.ValueOrArrayEnd;
          } else {
            if (!this.scalar()) return this.index;
            expect = afterValue();
          }
          break;
        case Expect.KeyOrObjectEnd:
        case Expect.Key:
          if (expect === Expect.KeyOrObjectEnd && char === '}') {
            stack.pop();
            this.index += 1;
            expect = afterValue();
          } else {
            if (char !== '"' || !this.string()) return this.index;
            expect = Expect.Colon;
          }
          break;
        case Expect.Colon:
          if (char !== ':') return this.index;
          this.index += 1;
          expect = Expect.Value;
          break;
        case Expect.CommaOrEnd: {
          const container = stack[stack.length - 1];
          if (char === ',') {
            this.index += 1;
            expect = container === OBJECT ? Expect.Key : Expect.Value;
          } else if (char === (container === OBJECT ? '}' : ']')) {
            stack.pop();
            this.index += 1;
            expect = afterValue();
          } else {
            return this.index;
          }
          break;
        }
        case Expect.Nothing:
          return this.index;
      }
    }
  }

  private skipWhitespace(): void {
    const text = this.text;
    while (this.index < text.length) {
      const char = text[this.index];
      if (char !== ' ' && char !== '\t' && char !== '\n' && char !== '\r') return;
      this.index += 1;
    }
  }

  /** Each scan leaves `index` after the token on success, or at the offending character. */
  private scalar(): boolean {
    const char = this.text[this.index];
    if (char === '"') return this.string();
    if (char === '-' || (char >= '0' && char <= '9')) return this.number();
    if (char === 't') return this.literal('true');
    if (char === 'f') return this.literal('false');
    if (char === 'n') return this.literal('null');
    return false;
  }

  private literal(word: string): boolean {
    for (let offset = 0; offset < word.length; offset += 1) {
      if (this.text[this.index] !== word[offset]) return false;
      this.index += 1;
    }
    return true;
  }

  private string(): boolean {
    const text = this.text;
    this.index += 1;
    while (this.index < text.length) {
      const code = text.charCodeAt(this.index);
      if (code === 0x22) {
        this.index += 1;
        return true;
      }
      if (code < 0x20) return false;
      if (code === 0x5c) {
        const escaped = text[this.index + 1];
        if (escaped === 'u') {
          this.index += 2;
          for (let digit = 0; digit < 4; digit += 1) {
            if (!isHexDigit(text[this.index])) return false;
            this.index += 1;
          }
          continue;
        }
        this.index += 1;
        if (escaped === undefined || !'"\\/bfnrt'.includes(escaped)) return false;
      }
      this.index += 1;
    }
    return false;
  }

  private number(): boolean {
    const text = this.text;
    if (text[this.index] === '-') this.index += 1;
    if (text[this.index] === '0') {
      this.index += 1;
    } else if (!this.digits()) {
      return false;
    }
    if (text[this.index] === '.') {
      this.index += 1;
      if (!this.digits()) return false;
    }
    if (text[this.index] === 'e' || text[this.index] === 'E') {
      this.index += 1;
      if (text[this.index] === '+' || text[this.index] === '-') this.index += 1;
      if (!this.digits()) return false;
    }
    return true;
  }

  private digits(): boolean {
    const start = this.index;
    while (this.index < this.text.length && this.text[this.index] >= '0' && this.text[this.index] <= '9') this.index += 1;
    return this.index > start;
  }
}

function isHexDigit(char: string | undefined): boolean {
  return char !== undefined && /^[0-9a-fA-F]$/.test(char);
}

/** Index of the first character that makes `text` invalid JSON, or -1 if it is valid. */
export function findJsonSyntaxError(text: string): number {
  return new Scanner(text).firstError();
}
