import assert from 'node:assert/strict';
import { parseContentType } from '../../lib/parsers/index';

describe('parseContentType', () => {
  it('lower-cases the media type and strips parameters', () => {
    assert.deepEqual(parseContentType('Application/JSON; Charset="UTF-8"'), { mediaType: 'application/json', charset: 'utf-8', contentType: 'Application/JSON; Charset="UTF-8"' });
  });

  it('gives an empty media type for a missing header', () => {
    assert.deepEqual(parseContentType(undefined), { mediaType: '', charset: undefined, contentType: '' });
  });

  it('has no charset when none is given', () => {
    assert.deepEqual(parseContentType('text/xml'), { mediaType: 'text/xml', charset: undefined, contentType: 'text/xml' });
    assert.equal(parseContentType('multipart/form-data; boundary=abc').charset, undefined);
  });

  it('finds the charset after a quoted parameter that contains a semicolon', () => {
    assert.equal(parseContentType('multipart/form-data; boundary="a;charset=bad"; charset=iso-8859-1').charset, 'iso-8859-1');
  });

  it('keeps the header as sent so a multipart boundary keeps its case', () => {
    assert.equal(parseContentType('multipart/form-data; boundary=AbC').contentType, 'multipart/form-data; boundary=AbC');
  });

  it('tolerates spaces around the separators', () => {
    assert.deepEqual(parseContentType(' text/xml ;  charset = latin1 '), { mediaType: 'text/xml', charset: 'latin1', contentType: ' text/xml ;  charset = latin1 ' });
  });
});
