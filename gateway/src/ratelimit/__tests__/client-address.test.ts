/**
 * Which address a request is counted for before anyone is verified: the TCP peer unless the
 * operator names trusted proxies, then the first untrusted address from the right of
 * `x-forwarded-for` — never what a client prepends — and IPv6 by its /64.
 */
import { ConfigError } from '../../errors';
import { addressKey, clientAddress, parseTrustedProxies } from '../client-address';

const none = parseTrustedProxies(undefined);
const lb = parseTrustedProxies('10.0.0.0/8, 192.168.1.7');

describe('PACTUM_TRUSTED_PROXIES', () => {
  test.each([
    ['unset', 'none', undefined],
    ['empty', 'none', ''],
    ['a hop count', 'hops', '2'],
    ['networks and addresses', 'networks', '10.0.0.0/8, 192.168.1.7, fd00::/8, ::1'],
  ])('%s → %s', (_what, kind, raw) => {
    expect(parseTrustedProxies(raw).kind).toBe(kind);
  });

  test.each([
    ['0', 'between 1 and 9'],
    ['10', 'between 1 and 9'],
    ['10.0.0.0/0', '/0 would trust every address'],
    ['::/0', '/0 would trust every address'],
    ['10.0.0.0/33', 'between 1 and 32'],
    ['fd00::/129', 'between 1 and 128'],
    ['10.0.0.0/8/1', 'not an IP address or a CIDR network'],
    ['proxy.internal', 'not an IP address or a CIDR network'],
    ['10.0.0.0/8,', 'not an IP address or a CIDR network'],
    ['10.0.0.0/x', 'between 1 and 32'],
  ])('%s is refused, naming the variable (%s)', (raw, why) => {
    let thrown: unknown;
    try {
      parseTrustedProxies(raw);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toContain('PACTUM_TRUSTED_PROXIES');
    expect((thrown as Error).message).toContain(why);
  });
});

describe('the client address', () => {
  test('by default x-forwarded-for is ignored: a client rotating it stays one client', () => {
    for (const spoof of ['1.1.1.1', '2.2.2.2', '3.3.3.3, 4.4.4.4', undefined]) expect(clientAddress('203.0.113.9', spoof, none)).toBe('203.0.113.9');
  });

  test('behind a trusted proxy: the address the proxy appended, whatever the client wrote before it', () => {
    expect(clientAddress('10.1.2.3', '198.51.100.4', lb)).toBe('198.51.100.4');
    expect(clientAddress('10.1.2.3', '6.6.6.6, 7.7.7.7, 198.51.100.4', lb)).toBe('198.51.100.4');
    // Two headers are one list, read from the right.
    expect(clientAddress('10.1.2.3', ['6.6.6.6', '198.51.100.4'], lb)).toBe('198.51.100.4');
    // Several trusted hops are walked past; the first untrusted one is the client.
    expect(clientAddress('10.1.2.3', '6.6.6.6, 198.51.100.4, 192.168.1.7, 10.9.9.9', lb)).toBe('198.51.100.4');
  });

  test('a peer that is not a trusted proxy is the client, whatever its header says', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.4', lb)).toBe('203.0.113.9');
  });

  test('every hop trusted: the leftmost address; no header: the proxy itself', () => {
    expect(clientAddress('10.1.2.3', '10.4.4.4', lb)).toBe('10.4.4.4');
    expect(clientAddress('10.1.2.3', undefined, lb)).toBe('10.1.2.3');
  });

  test('an entry that is not an address stops the walk at the hop that forwarded it (its shared bucket, never a fresh one)', () => {
    expect(clientAddress('10.1.2.3', '198.51.100.4, garbage', lb)).toBe('10.1.2.3');
    expect(clientAddress('10.1.2.3', 'garbage, 10.5.5.5', lb)).toBe('10.5.5.5');
    expect(clientAddress('10.1.2.3', '', lb)).toBe('10.1.2.3');
  });

  test('a hop count trusts the nearest peers whatever their addresses', () => {
    const one = parseTrustedProxies('1');
    const two = parseTrustedProxies('2');
    expect(clientAddress('172.16.0.1', '6.6.6.6, 198.51.100.4', one)).toBe('198.51.100.4');
    expect(clientAddress('172.16.0.1', '6.6.6.6, 198.51.100.4, 172.16.0.2', two)).toBe('198.51.100.4');
    expect(clientAddress('172.16.0.1', '198.51.100.4', two)).toBe('198.51.100.4');
  });

  test('ports, brackets, zones and IPv4-mapped IPv6 are the plain address', () => {
    expect(clientAddress('::ffff:10.1.2.3', '198.51.100.4:5123', lb)).toBe('198.51.100.4');
    expect(clientAddress('10.1.2.3', '[2001:db8:1:2::7]:443', lb)).toBe('2001:db8:1:2::/64');
    expect(clientAddress('::ffff:203.0.113.9', undefined, none)).toBe('203.0.113.9');
    expect(clientAddress('fe80::1%eth0', undefined, none)).toBe('fe80:0:0:0::/64');
  });

  test('IPv6 is counted by its /64: a host rotating through its own /64 stays one client', () => {
    expect(clientAddress('2001:db8:aa:bb::1', undefined, none)).toBe('2001:db8:aa:bb::/64');
    expect(clientAddress('2001:db8:aa:bb:ffff:ffff:ffff:fffe', undefined, none)).toBe('2001:db8:aa:bb::/64');
    expect(clientAddress('2001:0db8:00aa:00bb:1::', undefined, none)).toBe('2001:db8:aa:bb::/64');
    expect(clientAddress('2001:db8:aa:bc::1', undefined, none)).toBe('2001:db8:aa:bc::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
  });

  test('a peer without an address is one shared "unknown" client', () => {
    expect(clientAddress(undefined, '198.51.100.4', lb)).toBe('unknown');
    expect(addressKey('not-an-address')).toBeUndefined();
  });
});
