import assert from 'node:assert/strict';
import { prettyBody, prettyText } from '../../lib/console/pretty';

describe('console body pretty-printing', () => {
  it('indents JSON', () => {
    assert.equal(prettyText({ encoding: 'utf8', content: '{"a":{"b":[1,2]}}' }), '{\n  "a": {\n    "b": [\n      1,\n      2\n    ]\n  }\n}');
  });

  it('indents XML by element', () => {
    assert.equal(
      prettyText({ encoding: 'utf8', content: '<?xml version="1.0"?><order><id>7</id><lines><line sku="a"/></lines></order>' }),
      '<?xml version="1.0"?>\n<order>\n  <id>7</id>\n  <lines>\n    <line sku="a"/>\n  </lines>\n</order>',
    );
  });

  it('keeps other text and base64 as they are', () => {
    assert.equal(prettyText({ encoding: 'utf8', content: 'a=1&b=2' }), 'a=1&b=2');
    assert.equal(prettyText({ encoding: 'base64', content: 'AAEC' }), 'AAEC');
    assert.equal(prettyText(null), '');
  });

  it('escapes what it returns as HTML', () => {
    assert.equal(prettyBody({ encoding: 'utf8', content: '<b onclick="x">&</b>' }), '&lt;b onclick&#x3D;&quot;x&quot;&gt;&amp;&lt;/b&gt;');
  });
});
