import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import { PumphouseError } from '../../src/errors/index.js';
import { parseKeystoneDbUrl, showUrl } from '../../src/identity-db/index.js';

function invalid(url: string, pattern: RegExp, secret?: string): void {
  try {
    parseKeystoneDbUrl(url);
  } catch (err) {
    assert.ok(PumphouseError.is(err));
    assert.equal(err.code, 'PH_CONFIG_INVALID');
    assert.match(err.message, pattern);
    if (secret) {
      assert.ok(!err.message.includes(secret), err.message);
      assert.ok(!JSON.stringify(err.details).includes(secret));
    }
    return;
  }
  assert.fail(`accepted ${url}`);
}

describe('parseKeystoneDbUrl', () => {
  test('the testbed URL', () => {
    const u = parseKeystoneDbUrl('mysql+pymysql://source:testbed@127.0.0.1:3306/keystone_source');
    assert.equal(u.dialect, 'mysql');
    assert.equal(u.driver, 'pymysql');
    assert.equal(u.user, 'source');
    assert.equal(u.password, 'testbed');
    assert.equal(u.host, '127.0.0.1');
    assert.equal(u.port, 3306);
    assert.equal(u.database, 'keystone_source');
    assert.equal(u.where, '127.0.0.1:3306/keystone_source');
  });

  test('the seed config form (mysqlconnector, no port) defaults to 3306', () => {
    const u = parseKeystoneDbUrl('mysql+mysqlconnector://root:pass@10.0.0.1/keystone');
    assert.equal(u.driver, 'mysqlconnector');
    assert.equal(u.port, 3306);
    assert.equal(u.host, '10.0.0.1');
  });

  test('mariadb:// and plain mysql:// are accepted', () => {
    assert.equal(parseKeystoneDbUrl('mariadb://k@db.example/keystone').dialect, 'mariadb');
    assert.equal(parseKeystoneDbUrl('mysql://k@db.example:3307/keystone').port, 3307);
  });

  test('user, password and database are URL-decoded; a raw / or : in the password is kept', () => {
    const u = parseKeystoneDbUrl('mysql://key%20stone:p%40ss%3Aw%2Frd@h/ks%2Ddb');
    assert.equal(u.user, 'key stone');
    assert.equal(u.password, 'p@ss:w/rd');
    assert.equal(u.database, 'ks-db');
    assert.equal(parseKeystoneDbUrl('mysql://k:a/b:c@h/ks').password, 'a/b:c');
  });

  test('no password at all', () => {
    const u = parseKeystoneDbUrl('mysql://root@127.0.0.1:3306/keystone');
    assert.equal(u.user, 'root');
    assert.equal(u.password, undefined);
  });

  test('IPv6 host in brackets', () => {
    const u = parseKeystoneDbUrl('mysql://k:p@[fd00::10]:3306/keystone');
    assert.equal(u.host, 'fd00::10');
    assert.equal(u.where, '[fd00::10]:3306/keystone');
  });

  test('query: charset, unix_socket, ssl files, connect_timeout; others listed as ignored', () => {
    const u = parseKeystoneDbUrl(
      'mysql+pymysql://k:p@/keystone?charset=utf8&unix_socket=/var/run/mysqld/mysqld.sock&ssl_ca=/etc/ca.pem&connect_timeout=2.5&read_default_file=/etc/my.cnf',
    );
    assert.equal(u.charset, 'utf8');
    assert.equal(u.socketPath, '/var/run/mysqld/mysqld.sock');
    assert.deepEqual(u.ssl, { ca: '/etc/ca.pem' });
    assert.equal(u.connectTimeoutMs, 2500);
    assert.deepEqual(u.ignoredParams, ['read_default_file']);
    assert.equal(u.host, 'localhost');
    assert.equal(u.where, 'unix:/var/run/mysqld/mysqld.sock/keystone');
  });

  test('the password never shows when the parsed URL is printed', () => {
    const u = parseKeystoneDbUrl('mysql://k:Sup3r-Secret@h/keystone');
    assert.equal(u.password, 'Sup3r-Secret');
    assert.ok(!JSON.stringify(u).includes('Sup3r-Secret'));
    assert.ok(!inspect(u, { depth: Infinity }).includes('Sup3r-Secret'));
    assert.ok(!('password' in { ...u }));
  });

  test('bad URLs are PH_CONFIG_INVALID and never echo the password', () => {
    invalid('postgresql://k:Sup3r-Secret@h/keystone', /dialect "postgresql" is not supported/, 'Sup3r-Secret');
    invalid('sqlite:///keystone.db', /dialect "sqlite"/);
    invalid('keystone.example:3306', /expected mysql:\/\//);
    invalid('mysql://k:Sup3r-Secret@h:99999/keystone', /port "99999"/, 'Sup3r-Secret');
    invalid('mysql://k:Sup3r-Secret@h:33o6/keystone', /port "33o6"/, 'Sup3r-Secret');
    invalid('mysql://k:Sup3r-Secret@h', /names no database/, 'Sup3r-Secret');
    invalid('mysql://k:Sup3r-Secret@h/', /names no database/, 'Sup3r-Secret');
    invalid('mysql://k:Sup%ZZ3r@h/keystone', /password is not valid URL encoding/, 'Sup%ZZ3r');
    // A raw '@' splits the password; its tail must not reach the message as a host name.
    invalid('mysql://k:Sup3r@Secret@h/keystone', /contains '@'/, 'Secret');
    invalid('mysql://k:Sup3r-Secret@h/keystone?connect_timeout=soon', /connect_timeout "soon"/, 'Sup3r-Secret');
  });
});

describe('showUrl', () => {
  test('masks the password, however odd', () => {
    assert.equal(showUrl('mysql+pymysql://source:testbed@127.0.0.1:3306/keystone_source'), 'mysql+pymysql://source:***@127.0.0.1:3306/keystone_source');
    assert.equal(showUrl('mysql://k:a@b/c?d@h/ks'), 'mysql://k:***@h/ks');
    assert.equal(showUrl('mysql://root@h/ks'), 'mysql://root@h/ks');
    assert.equal(showUrl('mysql://h/ks?password=x&charset=utf8'), 'mysql://h/ks?password=***&charset=utf8');
  });
});
