import assert from 'node:assert/strict';
import { AppError } from '../../lib/errors';
import { compileConditions } from '../../lib/conditions';
import { compileTemplate } from '../../lib/templates';
import { dataUris, filterRecords, paginate, selectRecords, traceKeys } from '../../lib/ingest/records';

function numbered(count: number): Array<{ id: number }> {
  return Array.from({ length: count }, (_, index) => ({ id: index + 1 }));
}

describe('records', () => {
  describe('selectRecords', () => {
    it('makes one record per element of an array body when there is no path', () => {
      assert.deepEqual(selectRecords([{ a: 1 }, { a: 2 }], undefined), [{ a: 1 }, { a: 2 }]);
    });

    it('makes one record of any other body when there is no path', () => {
      assert.deepEqual(selectRecords({ a: 1 }, undefined), [{ a: 1 }]);
      assert.deepEqual(selectRecords('raw text', ''), ['raw text']);
      assert.deepEqual(selectRecords(undefined, undefined), []);
    });

    it('selects the elements at a path ending in [*]', () => {
      assert.deepEqual(selectRecords({ orders: [{ id: 1 }, { id: 2 }] }, '$.orders[*]'), [{ id: 1 }, { id: 2 }]);
    });

    it('makes a single XML child one record, not one record per field', () => {
      const oneShipment = { shipments: { shipment: { id: 1, carrier: 'UPS' } } };
      assert.deepEqual(selectRecords(oneShipment, '$.shipments.shipment[*]'), [{ id: 1, carrier: 'UPS' }]);
      const twoShipments = { shipments: { shipment: [{ id: 1 }, { id: 2 }] } };
      assert.deepEqual(selectRecords(twoShipments, '$.shipments.shipment[*]'), [{ id: 1 }, { id: 2 }]);
    });

    it('makes a single text child one record, not one record per character', () => {
      assert.deepEqual(selectRecords({ notes: { note: 'hello' } }, '$.notes.note[*]'), ['hello']);
    });

    it('applies the same rule to a .* ending and to each parent a wildcard parent selects', () => {
      assert.deepEqual(selectRecords({ a: { b: { id: 1 } } }, '$.a.b.*'), [{ id: 1 }]);
      const batches = { batches: [{ items: [{ id: 1 }, { id: 2 }] }, { items: { id: 3 } }] };
      assert.deepEqual(selectRecords(batches, '$.batches[*].items[*]'), [{ id: 1 }, { id: 2 }, { id: 3 }]);
    });

    it('uses the elements when a path without a wildcard selects one array', () => {
      assert.deepEqual(selectRecords({ orders: [{ id: 1 }, { id: 2 }] }, '$.orders'), [{ id: 1 }, { id: 2 }]);
      assert.deepEqual(selectRecords({ order: { id: 1 } }, '$.order'), [{ id: 1 }]);
    });

    it('returns every value a descendant path selects', () => {
      assert.deepEqual(selectRecords({ a: { id: 1, b: { id: 2 } } }, '$..id'), [1, 2]);
    });

    it('gives no records, and no error, for an empty batch', () => {
      assert.deepEqual(selectRecords({ orders: [] }, '$.orders[*]'), []);
      assert.deepEqual(selectRecords({ orders: null }, '$.orders[*]'), []);
    });

    it('throws ERR_NO_RECORDS naming the path when it selects nothing', () => {
      assert.throws(
        () => selectRecords({ orders: [] }, '$.x'),
        (error: unknown) => error instanceof AppError && error.code === 'ERR_NO_RECORDS' && error.status === 400 && error.detail === 'resourcePath $.x matched nothing',
      );
      assert.throws(() => selectRecords({ a: 1 }, '$.shipments.shipment[*]'), { code: 'ERR_NO_RECORDS' });
    });
  });

  describe('filterRecords', () => {
    const records = [
      { id: 1, status: 'paid' },
      { id: 2, status: 'pending' },
      { id: 3, status: 'paid' },
    ];

    it('keeps the records that satisfy every condition, with paths relative to the record', () => {
      assert.deepEqual(filterRecords(records, [{ path: '$.status', equals: 'paid' }]).map((record) => (record as { id: number }).id), [1, 3]);
    });

    it('takes a compiled predicate as well', () => {
      const predicate = compileConditions([{ path: '$.id', matches: '^[12]$' }]);
      assert.deepEqual(filterRecords(records, predicate).map((record) => (record as { id: number }).id), [1, 2]);
    });

    it('keeps everything when there are no conditions', () => {
      assert.equal(filterRecords(records, []), records);
    });
  });

  describe('traceKeys', () => {
    it('uses the record id when there is one', () => {
      assert.deepEqual(traceKeys([{ id: 'A-1' }, { id: 42 }]), ['A-1', '42']);
    });

    it('hashes a record without an id, stably and whatever the key order', () => {
      const [first, second, other] = traceKeys([{ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }, { a: 2 }]);
      assert.match(first!, /^[0-9a-f]{16}$/);
      assert.equal(first, second);
      assert.notEqual(first, other);
      assert.deepEqual(traceKeys([{ a: 1, b: { c: [1, 2] } }]), [first]);
    });

    it('hashes records that are not objects, and an empty id', () => {
      const keys = traceKeys(['text', 7, null, { id: '' }]);
      assert.equal(new Set(keys).size, 4);
      for (const key of keys) assert.match(key, /^[0-9a-f]{16}$/);
    });

    it('renders the trace key template, e.g. join over two fields', () => {
      const template = compileTemplate('{{join "_" field1 field2}}', '/records/traceKeyTemplate');
      assert.deepEqual(traceKeys([{ field1: 'A', field2: 1 }, { field1: 'B', field2: 2 }], template), ['A_1', 'B_2']);
    });

    it('falls back to the default when the template renders nothing', () => {
      const template = compileTemplate('{{sku}}', '/records/traceKeyTemplate');
      assert.deepEqual(traceKeys([{ sku: 'S1' }, { id: 9 }], template), ['S1', '9']);
    });
  });

  describe('dataUris', () => {
    it('renders one link per record', () => {
      const template = compileTemplate('https://shop.example/orders/{{id}}', '/records/dataUriTemplate');
      assert.deepEqual(dataUris([{ id: 1 }, { id: 2 }], template), ['https://shop.example/orders/1', 'https://shop.example/orders/2']);
    });

    it('is undefined without a template', () => {
      assert.equal(dataUris([{ id: 1 }]), undefined);
    });
  });

  describe('paginate', () => {
    it('cuts 45 records into pages of 20, 20 and 5', () => {
      const { pages, oversized } = paginate(numbered(45), { pageSize: 20, maxPageBytes: 5_242_880 });
      assert.deepEqual(pages.map((page) => page.records.length), [20, 20, 5]);
      assert.deepEqual(pages[2]!.records, numbered(45).slice(40));
      assert.deepEqual(oversized, []);
    });

    it('gives each page its JSON text and exact byte count', () => {
      const records = [{ id: 1, name: 'Zoë' }, { id: 2 }];
      const [page] = paginate(records, { pageSize: 20, maxPageBytes: 1000 }).pages;
      assert.equal(page!.json, JSON.stringify(records));
      assert.equal(page!.bytes, Buffer.byteLength(page!.json));
      assert.deepEqual(page!.traceKeys, ['1', '2']);
    });

    it('starts a new page early when the next record would exceed maxPageBytes', () => {
      // Each record is {"id":N,"pad":"xxxxxxxxxx"}: 27 bytes. Two make a page of 2 + 27 + 1 + 27 = 57 bytes.
      const records = Array.from({ length: 5 }, (_, index) => ({ id: index, pad: 'x'.repeat(10) }));
      const exact = paginate(records, { pageSize: 20, maxPageBytes: 57 }).pages;
      assert.deepEqual(exact.map((page) => page.records.length), [2, 2, 1]);
      assert.deepEqual(exact.map((page) => page.bytes), [57, 57, 29]);
      for (const page of exact) {
        assert.equal(page.bytes, Buffer.byteLength(page.json));
        assert.deepEqual(JSON.parse(page.json), page.records);
      }
      assert.deepEqual(exact.flatMap((page) => page.records), records);
      const oneByteLess = paginate(records, { pageSize: 20, maxPageBytes: 56 }).pages;
      assert.deepEqual(oneByteLess.map((page) => page.records.length), [1, 1, 1, 1, 1]);
    });

    it('counts bytes, not characters', () => {
      const records = [{ s: 'é'.repeat(10) }, { s: 'é'.repeat(10) }];
      // Each record is 18 characters but 28 bytes: both fit in 58 characters, not in 58 bytes.
      const { pages } = paginate(records, { pageSize: 20, maxPageBytes: 58 });
      assert.deepEqual(pages.map((page) => page.records.length), [1, 1]);
    });

    it('sets a record larger than maxPageBytes aside, with its index, and pages the rest', () => {
      const records = [{ id: 1 }, { id: 2, blob: 'x'.repeat(200) }, { id: 3 }];
      const { pages, oversized } = paginate(records, { pageSize: 20, maxPageBytes: 100 });
      assert.deepEqual(pages.map((page) => page.records), [[{ id: 1 }, { id: 3 }]]);
      assert.deepEqual(pages[0]!.traceKeys, ['1', '3']);
      assert.equal(oversized.length, 1);
      assert.equal(oversized[0]!.index, 1);
      assert.equal(oversized[0]!.traceKey, '2');
      assert.equal(oversized[0]!.bytes, JSON.stringify([records[1]]).length);
    });

    it('carries the given trace keys and data URIs into each page', () => {
      const records = numbered(3);
      const { pages } = paginate(records, { pageSize: 2, maxPageBytes: 1000, traceKeys: ['a', 'b', 'c'], dataUris: ['u1', 'u2', 'u3'] });
      assert.deepEqual(pages.map((page) => page.traceKeys), [['a', 'b'], ['c']]);
      assert.deepEqual(pages.map((page) => page.dataUris), [['u1', 'u2'], ['u3']]);
    });

    it('makes no page for no records', () => {
      assert.deepEqual(paginate([], { pageSize: 20, maxPageBytes: 1000 }), { pages: [], oversized: [] });
    });

    it('refuses a page size or byte limit that cannot hold a record', () => {
      assert.throws(() => paginate([], { pageSize: 0, maxPageBytes: 1000 }), RangeError);
      assert.throws(() => paginate([], { pageSize: 20, maxPageBytes: 2 }), RangeError);
    });
  });
});
