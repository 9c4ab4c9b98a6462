/**
 * Preloaded (`node --require`) into a process under test: appends every outbound socket connection
 * and every DNS lookup it makes to the file named by PACTUM_TEST_OUTBOUND_LOG, one JSON line each,
 * so a test can check the process contacted only whom it was configured to contact.
 */
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const dns = require('node:dns');

const file = process.env.PACTUM_TEST_OUTBOUND_LOG;
if (file) {
  const note = (entry) => fs.appendFileSync(file, `${JSON.stringify(entry)}\n`);
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function spiedConnect(...args) {
    const first = args[0];
    const options = Array.isArray(first) ? first[0] : first;
    if (options && typeof options === 'object') note({ kind: 'connect', host: options.host ?? null, port: options.port ?? null, path: options.path ?? null });
    else note({ kind: 'connect', port: first ?? null, host: typeof args[1] === 'string' ? args[1] : null, path: null });
    return connect.apply(this, args);
  };
  const lookup = dns.lookup;
  dns.lookup = function spiedLookup(hostname, ...rest) {
    note({ kind: 'dns', host: hostname });
    return lookup.call(this, hostname, ...rest);
  };
  const promisesLookup = dns.promises.lookup;
  dns.promises.lookup = function spiedPromisesLookup(hostname, ...rest) {
    note({ kind: 'dns', host: hostname });
    return promisesLookup.call(this, hostname, ...rest);
  };
}
