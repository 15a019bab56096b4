import assert from 'node:assert/strict';
import { createIpAllowList, validateCidrList } from '../../lib/security/ip-allow';

describe('ip allow-list', () => {
  describe('without proxies', () => {
    const list = createIpAllowList(['203.0.113.0/24', '2001:db8::/32'], []);

    it('accepts an IPv4 peer inside an allowed block', () => {
      assert.deepEqual(list.check('203.0.113.5', undefined), { ok: true });
    });

    it('refuses a peer outside every block and names the address', () => {
      const result = list.check('198.51.100.7', undefined);
      assert.equal(result.ok, false);
      assert.match((result as { reason: string }).reason, /198\.51\.100\.7/);
    });

    it('treats IPv4-mapped IPv6 peers as their IPv4 address (dotted and hex forms)', () => {
      assert.deepEqual(list.check('::ffff:203.0.113.5', undefined), { ok: true });
      assert.deepEqual(list.check('::ffff:cb00:7105', undefined), { ok: true });
      assert.equal(list.check('::ffff:198.51.100.7', undefined).ok, false);
    });

    it('accepts an IPv6 peer inside an IPv6 block and refuses one outside', () => {
      assert.deepEqual(list.check('2001:db8:1::9', undefined), { ok: true });
      assert.equal(list.check('2001:db9::1', undefined).ok, false);
    });

    it('ignores X-Forwarded-For when the peer is not a trusted proxy', () => {
      assert.equal(list.check('198.51.100.7', '203.0.113.5').ok, false);
    });

    it('refuses a peer address that is not an IP address', () => {
      assert.equal(list.check('not-an-ip', undefined).ok, false);
    });
  });

  describe('behind trusted proxies', () => {
    const list = createIpAllowList(['203.0.113.0/24'], ['10.0.0.0/8', '192.0.2.1']);

    it('takes the right-most X-Forwarded-For address that is not a trusted proxy', () => {
      assert.deepEqual(list.check('10.1.2.3', '198.51.100.66, 203.0.113.5, 10.0.0.2'), { ok: true });
    });

    it('does not believe an allowed address the client wrote to the left of its own', () => {
      const result = list.check('10.1.2.3', '203.0.113.5, 198.51.100.7');
      assert.equal(result.ok, false);
      assert.match((result as { reason: string }).reason, /198\.51\.100\.7/);
    });

    it('checks the proxy itself when it sends no X-Forwarded-For', () => {
      assert.equal(list.check('10.1.2.3', undefined).ok, false);
    });

    it('uses the left-most hop when every hop is a trusted proxy', () => {
      const allowProxies = createIpAllowList(['10.0.0.0/8'], ['10.0.0.0/8']);
      assert.deepEqual(allowProxies.check('10.0.0.1', '10.9.9.9, 10.0.0.2'), { ok: true });
    });

    it('accepts a mapped-IPv6 proxy peer and hop entries with ports or brackets', () => {
      assert.deepEqual(list.check('::ffff:10.1.2.3', '203.0.113.5:4711'), { ok: true });
      const v6 = createIpAllowList(['2001:db8::/32'], ['10.0.0.0/8']);
      assert.deepEqual(v6.check('10.0.0.9', '[2001:db8::7]:443'), { ok: true });
    });

    it('refuses a request whose X-Forwarded-For holds garbage where the client should be', () => {
      const result = list.check('10.1.2.3', 'unknown');
      assert.equal(result.ok, false);
      assert.match((result as { reason: string }).reason, /X-Forwarded-For/);
    });
  });

  it('allows every address when the allow-list is empty', () => {
    assert.deepEqual(createIpAllowList([], []).check('198.51.100.7', undefined), { ok: true });
  });

  it('accepts an IPv4 block written in IPv4-mapped IPv6 notation', () => {
    const list = createIpAllowList(['::ffff:203.0.113.0/120'], []);
    assert.deepEqual(list.check('203.0.113.200', undefined), { ok: true });
    assert.equal(list.check('203.0.114.1', undefined).ok, false);
  });

  it('throws when built from an invalid entry', () => {
    assert.throws(() => createIpAllowList(['10.0.0.0/33'], []), /prefix/);
  });
});

describe('validateCidrList', () => {
  it('accepts IPv4 and IPv6 blocks and single addresses', () => {
    assert.deepEqual(validateCidrList(['203.0.113.0/24', '198.51.100.7', '2001:db8::/32', '::1', '::ffff:203.0.113.0/120']), []);
  });

  it('names each bad entry by its index', () => {
    assert.deepEqual(
      validateCidrList(['10.0.0.0/8', '300.1.1.1/24', '10.0.0.0/33', 'banana', 7, '2001:db8::/129']).map((error) => error.path),
      ['/allowIps/1', '/allowIps/2', '/allowIps/3', '/allowIps/4', '/allowIps/5'],
    );
  });

  it('refuses a value that is not a list, under the path it is given', () => {
    assert.deepEqual(validateCidrList('10.0.0.0/8', '/trustedProxies'), [{ path: '/trustedProxies', message: 'must be an array of IP addresses or CIDR blocks' }]);
  });
});
