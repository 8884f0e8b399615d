import { PumphouseError, isSecretKey } from '../errors/index.js';

/**
 * A Keystone `[database] connection` URL, parsed. The password is a non-enumerable
 * property: it is there for the driver but JSON.stringify, util.inspect and spreads skip it.
 */
export interface KeystoneDbUrl {
  readonly dialect: 'mysql' | 'mariadb';
  /** SQLAlchemy driver after the `+` (`pymysql`, `mysqlconnector`, ...); informative only. */
  readonly driver: string | undefined;
  readonly user: string;
  readonly password: string | undefined;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly charset: string | undefined;
  /** From `?unix_socket=`: connect through this socket instead of host:port. */
  readonly socketPath: string | undefined;
  readonly ssl: { readonly ca?: string; readonly cert?: string; readonly key?: string } | undefined;
  /** From `?connect_timeout=` (seconds in the URL, milliseconds here). */
  readonly connectTimeoutMs: number | undefined;
  /** Query parameters Pumphouse does not use (e.g. `read_default_file`), by name only. */
  readonly ignoredParams: readonly string[];
  /** `host:port/database` or `unix:/path/database`: what messages name. Never the password. */
  readonly where: string;
}

const SCHEME = /^([a-z][a-z0-9]*)(?:\+([a-z0-9_]+))?:\/\/(.*)$/is;
// Same shape SQLAlchemy's make_url accepts: user[:password]@ (password up to the first '@'),
// then [ipv6] or host, optional :port, optional /database, optional ?query.
const USERINFO = /^([^:/@]*)(?::([^@]*))?@/s;
const HOSTPORT = /^(?:\[([^\]/?]+)\]|([^/:?]+))?(?::([^/?]*))?/;

/**
 * Parses a SQLAlchemy-style MySQL/MariaDB URL as found in keystone.conf:
 * `mysql+pymysql://keystone:p%40ss@10.0.0.1:3306/keystone?charset=utf8`. User, password and
 * database are URL-decoded; the port defaults to 3306, the host to `localhost`.
 * Throws PH_CONFIG_INVALID (showing the URL without its password) when it is not such a URL.
 */
export function parseKeystoneDbUrl(url: string): KeystoneDbUrl {
  const bad = (why: string): PumphouseError =>
    new PumphouseError('PH_CONFIG_INVALID', `identity database URL ${showUrl(url)}: ${why}`, {
      details: { url: showUrl(url) },
    });

  const scheme = SCHEME.exec(url.trim());
  if (!scheme) throw bad('expected mysql://user:password@host:port/database');
  const dialect = scheme[1]!.toLowerCase();
  if (dialect !== 'mysql' && dialect !== 'mariadb') {
    throw bad(`dialect "${dialect}" is not supported; Keystone databases are reached as mysql:// or mariadb://`);
  }
  let rest = scheme[3]!;

  let user = '';
  let password: string | undefined;
  const userinfo = USERINFO.exec(rest);
  if (userinfo) {
    user = decode(userinfo[1]!, 'user name', bad);
    password = userinfo[2] === undefined ? undefined : decode(userinfo[2], 'password', bad);
    rest = rest.slice(userinfo[0].length);
  }

  const hostport = HOSTPORT.exec(rest)!;
  const host = hostport[1] ?? hostport[2] ?? '';
  // A raw '@' in the password ends the password early and leaves its tail in the host.
  if (host.includes('@')) throw bad("the password (or user) contains '@': write it as %40");
  let port = 3306;
  if (hostport[3] !== undefined && hostport[3] !== '') {
    if (!/^\d+$/.test(hostport[3]) || Number(hostport[3]) < 1 || Number(hostport[3]) > 65535) {
      throw bad(`port "${hostport[3]}" is not a number between 1 and 65535`);
    }
    port = Number(hostport[3]);
  }
  rest = rest.slice(hostport[0].length);

  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? '' : rest.slice(q + 1);
  if (path !== '' && !path.startsWith('/')) throw bad(`unexpected "${path.split('/')[0]}" after the host`);
  const database = decode(path.slice(1), 'database name', bad);
  if (database === '') throw bad('it names no database (…/keystone)');

  const params = new URLSearchParams(query);
  const ssl: { ca?: string; cert?: string; key?: string } = {};
  const ignored: string[] = [];
  let connectTimeoutMs: number | undefined;
  for (const [key, value] of params) {
    if (key === 'ssl_ca') ssl.ca = value;
    else if (key === 'ssl_cert') ssl.cert = value;
    else if (key === 'ssl_key') ssl.key = value;
    else if (key === 'connect_timeout') {
      if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) throw bad(`connect_timeout "${value}" is not a positive number of seconds`);
      connectTimeoutMs = Math.round(Number(value) * 1000);
    } else if (key !== 'charset' && key !== 'unix_socket') ignored.push(key);
  }
  const socketPath = params.get('unix_socket') ?? undefined;

  const parsed = {
    dialect,
    driver: scheme[2]?.toLowerCase(),
    user,
    host: host === '' ? 'localhost' : host,
    port,
    database,
    charset: params.get('charset') ?? undefined,
    socketPath,
    ssl: Object.keys(ssl).length > 0 ? ssl : undefined,
    connectTimeoutMs,
    ignoredParams: ignored,
    where:
      socketPath !== undefined
        ? `unix:${socketPath}/${database}`
        : `${host === '' ? 'localhost' : host.includes(':') ? `[${host}]` : host}:${port}/${database}`,
  } as const;
  Object.defineProperty(parsed, 'password', { value: password, enumerable: false });
  return parsed as typeof parsed & { readonly password: string | undefined };
}

function decode(text: string, what: string, bad: (why: string) => PumphouseError): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // Never echo the text: it may be the password.
    throw bad(`the ${what} is not valid URL encoding (write special characters as %XX)`);
  }
}

/**
 * The URL as safe to show: everything between `://` and the last `@` of the authority
 * becomes `user:***` (a password may itself contain `/` or `:`), and query values of
 * secret-looking keys become `***`.
 */
export function showUrl(url: string): string {
  const m = /^([^:]*:\/\/)(.*)$/s.exec(url.trim());
  if (!m) return url.includes('@') ? '***' : url;
  let rest = m[2]!;
  // The last '@' anywhere: a password may hold '?', '/' or '@'; masking too much is fine.
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(':');
    rest = `${colon < 0 ? userinfo : `${userinfo.slice(0, colon)}:***`}${rest.slice(at)}`;
  }
  const q = rest.indexOf('?');
  if (q >= 0) {
    const params = rest
      .slice(q + 1)
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        return eq >= 0 && isSecretKey(pair.slice(0, eq)) ? `${pair.slice(0, eq)}=***` : pair;
      });
    rest = `${rest.slice(0, q)}?${params.join('&')}`;
  }
  return `${m[1]}${rest}`;
}
