/**
 * windows-1252, which the WHATWG Encoding Standard also uses for the labels
 * latin1, iso-8859-1, us-ascii and ascii. Node 20's TextDecoder decodes it as
 * ISO-8859-1 (https://github.com/nodejs/node/issues/60888), turning €, curly
 * quotes and dashes into C1 control characters, so it is done here: ISO-8859-1
 * plus the 32 code points of 0x80–0x9F from
 * https://encoding.spec.whatwg.org/index-windows-1252.txt. Every byte maps to a
 * character, so this decoder never fails.
 */
const HIGH_CONTROLS: readonly number[] = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
  0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
];

const HAS_C1 = /[\x80-\x9f]/;
const EACH_C1 = /[\x80-\x9f]/g;

export function decodeWindows1252(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  if (!HAS_C1.test(text)) return text;
  return text.replace(EACH_C1, (char) => String.fromCharCode(HIGH_CONTROLS[char.charCodeAt(0) - 0x80]));
}
