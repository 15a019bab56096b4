import assert from 'node:assert/strict';
import { safeEqual, safeEqualAny } from '../../lib/security/constant-time';

describe('safeEqual', () => {
  it('is true for equal strings and for a string equal to a buffer', () => {
    assert.equal(safeEqual('sha256=abc', 'sha256=abc'), true);
    assert.equal(safeEqual(Buffer.from('päss', 'utf8'), 'päss'), true);
  });

  it('is false for different values of the same length', () => {
    assert.equal(safeEqual('secret-a', 'secret-b'), false);
  });

  it('is false for values of different lengths, including a prefix', () => {
    assert.equal(safeEqual('secret', 'secret2'), false);
    assert.equal(safeEqual('', 'x'), false);
  });

  it('compares bytes, not characters (é as one code point vs e + combining accent)', () => {
    assert.equal(safeEqual('\u00e9', 'e\u0301'), false);
  });
});

describe('safeEqualAny', () => {
  it('is true when any candidate matches, including the last', () => {
    assert.equal(safeEqualAny('c', ['a', 'b', 'c']), true);
  });

  it('is false when no candidate matches or there are none', () => {
    assert.equal(safeEqualAny('z', ['a', 'b']), false);
    assert.equal(safeEqualAny('z', []), false);
  });

  it('compares against every candidate even after the first one matched', () => {
    const candidates = ['match', 'other', 'third'];
    const read: string[] = [];
    const watched = new Proxy(candidates, {
      get(target, property, receiver) {
        if (typeof property === 'string' && /^\d+$/.test(property)) read.push(property);
        return Reflect.get(target, property, receiver);
      },
    });
    assert.equal(safeEqualAny('match', watched), true);
    assert.deepEqual(read, ['0', '1', '2']);
  });
});
