import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import fc from 'fast-check';
import { canonicalJson, forEachJsonPiece, isSmall, stringifyInSlices } from '../lib/json-in-slices';

/** JSON values with large containers and long strings mixed in, so that both the sliced and the one-call paths run. */
const values = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, -1.5, 'x', '', '\u{1F600}', 'a"b\\c\n'),
    fc.double({ noNaN: false }),
    fc.string(),
    fc.nat(3).map((n) => `${'\u{1F600}'.repeat(40_000 + n)}tail`),
    fc.array(tie('value'), { maxLength: 6 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 6 }),
    fc.array(fc.integer(), { minLength: 300, maxLength: 600 }),
    fc.array(fc.dictionary(fc.string({ maxLength: 3 }), fc.string(), { maxKeys: 3 }), { minLength: 100, maxLength: 200 }),
  ),
})).value;

async function canonicalInSlices(value: unknown): Promise<string> {
  const pieces: string[] = [];
  await forEachJsonPiece(value, { canonical: true }, (piece) => pieces.push(piece));
  return pieces.join('');
}

describe('JSON in slices', () => {
  it('gives exactly what JSON.stringify gives', async () => {
    await fc.assert(fc.asyncProperty(values, async (value) => {
      assert.equal(await stringifyInSlices(value), JSON.stringify(value));
    }), { numRuns: 150 });
  });

  it('gives exactly the canonical JSON (sorted keys) that trace-key hashes use', async () => {
    await fc.assert(fc.asyncProperty(values, async (value) => {
      assert.equal(await canonicalInSlices(value), canonicalJson(value));
    }), { numRuns: 150 });
  });

  it('leaves out what JSON.stringify leaves out, and honours toJSON', async () => {
    const value = { a: undefined, f: () => 1, when: new Date(0), list: [undefined, () => 1, 2], many: Array.from({ length: 400 }, (_, i) => ({ i, skip: undefined })) };
    assert.equal(await stringifyInSlices(value), JSON.stringify(value));
    assert.equal(await stringifyInSlices(undefined), undefined);
  });

  it('never cuts a surrogate pair of a long string', async () => {
    for (const length of [65_535, 65_536, 65_537]) {
      const text = `${'a'.repeat(length - 1)}\u{1F600}${'b'.repeat(10)}`;
      assert.equal(await stringifyInSlices(text), JSON.stringify(text));
    }
  });

  it('lets the event loop turn while it serialises a large value', async () => {
    const body = { items: Array.from({ length: 300_000 }, (_, n) => ({ n, name: `item ${n}` })) };
    let turns = 0;
    let running = true;
    const count = async () => {
      while (running) {
        await nextTurn();
        turns++;
      }
    };
    const counting = count();
    const text = await stringifyInSlices(body);
    running = false;
    await counting;
    assert.equal(text, JSON.stringify(body));
    assert.ok(turns >= 2, `the event loop turned ${turns} times`);
  });

  it('calls a value small only when it holds few values and no long string', () => {
    assert.equal(isSmall({ a: [1, 2, 3], b: 'x'.repeat(1000) }), true);
    assert.equal(isSmall(Array.from({ length: 300 }, () => 1)), false);
    assert.equal(isSmall({ data: 'x'.repeat(300 * 1024) }), false);
  });
});
