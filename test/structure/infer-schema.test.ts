import assert from 'node:assert/strict';
import { inferSchema } from '../../lib/structure/infer-schema';
import { replacementPatch } from '../../lib/structure/structure-service';
import { mergePatch } from '../../lib/listeners/normalize';
import { compileBodySchema } from '../../lib/validation/body-schema';

const DIALECT = 'http://json-schema.org/draft-07/schema#';

describe('schema inference from a sample', () => {
  it('gives every value its JSON type, whole numbers as integer', () => {
    assert.deepEqual(inferSchema({ s: 'x', i: 3, n: 2.5, b: true, z: null }), {
      $schema: DIALECT,
      type: 'object',
      properties: { s: { type: 'string' }, i: { type: 'integer' }, n: { type: 'number' }, b: { type: 'boolean' }, z: { type: 'null' } },
      required: ['s', 'i', 'n', 'b', 'z'],
    });
  });

  it('describes nested objects and arrays', () => {
    assert.deepEqual(inferSchema({ order: { id: 7, tags: ['a', 'b'] } }), {
      $schema: DIALECT,
      type: 'object',
      properties: {
        order: {
          type: 'object',
          properties: { id: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } },
          required: ['id', 'tags'],
        },
      },
      required: ['order'],
    });
  });

  it("merges an array's items: a key is required only when every item has it", () => {
    const schema = inferSchema([{ id: 1, sku: 'a' }, { id: 2 }, { id: 3, sku: 'c', note: null }]);
    assert.deepEqual(schema.items, {
      type: 'object',
      properties: { id: { type: 'integer' }, sku: { type: 'string' }, note: { type: 'null' } },
      required: ['id'],
    });
  });

  it('merges integer and number into number, and lists differing plain types', () => {
    assert.deepEqual(inferSchema([1, 2.5]).items, { type: 'number' });
    assert.deepEqual(inferSchema(['a', 1, null]).items, { type: ['string', 'integer', 'null'] });
  });

  it('keeps detail with anyOf when differing types carry structure', () => {
    assert.deepEqual(inferSchema([{ a: 1 }, null]).items, {
      anyOf: [{ type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] }, { type: 'null' }],
    });
  });

  it('leaves an empty array without an items schema', () => {
    assert.deepEqual(inferSchema({ list: [] }).properties, { list: { type: 'array' } });
  });

  it('recognises formats only when every value has the same one', () => {
    const schema = inferSchema({
      at: '2026-03-01T10:15:00Z',
      offset: '2026-03-01T10:15:00.123+02:00',
      day: '2026-03-01',
      email: 'buyer@example.com',
      url: 'https://shop.example/orders/1',
      id: '123e4567-e89b-12d3-a456-426614174000',
      text: 'hello',
      notADate: '2026-02-30',
      mixed: ['2026-03-01', 'later'],
    });
    const formats = Object.fromEntries(Object.entries(schema.properties as Record<string, any>).map(([k, v]) => [k, v.format ?? v.items?.format ?? null]));
    assert.deepEqual(formats, {
      at: 'date-time', offset: 'date-time', day: 'date', email: 'email', url: 'uri', id: 'uuid', text: null, notADate: null, mixed: null,
    });
  });

  it('always accepts the sample it came from, and refuses a change of shape', () => {
    const samples: unknown[] = [
      { orders: [{ id: 1, total: 9.5, placedAt: '2026-03-01T10:15:00Z', lines: [{ sku: 'a', qty: 1 }] }, { id: 2, total: 3, lines: [] }] },
      [1, 'two', null, { three: [3] }],
      'just text',
      { deep: { deeper: { deepest: [[1, 2], [3.5]] } } },
    ];
    for (const sample of samples) assert.deepEqual(compileBodySchema(inferSchema(sample))(sample), [], JSON.stringify(sample));
    const validate = compileBodySchema(inferSchema(samples[0]));
    assert.deepEqual(validate({ orders: [{ id: 'one', total: 1, lines: [] }] }), [{ path: '/orders/0/id', message: 'must be integer' }]);
  });
});

describe('replacing a stored schema through a merge patch', () => {
  it('turns the old value into exactly the new one', () => {
    const current = { type: 'object', properties: { old: { type: 'string' }, kept: { type: 'integer', format: 'x' } }, required: ['old', 'kept'] };
    const next = { type: 'object', properties: { kept: { type: 'integer' }, fresh: { type: 'boolean' } }, required: ['kept'] };
    assert.deepEqual(mergePatch(current, replacementPatch(current, next)), next);
    assert.deepEqual(mergePatch(null, replacementPatch(null, next)), next);
  });
});
