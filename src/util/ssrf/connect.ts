import { lookup } from 'node:dns/promises';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to (the guard checks all of them and connects to one). */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

/** Where the guard connects: the checked address, never the name again (no second DNS answer). */
export interface ConnectTarget {
  address: string;
  family: 4 | 6;
  port: number;
  tls: boolean;
  /** The URL's host name: TLS server name and certificate check. */
  hostname: string;
}

/** Opens the connection to a checked address (TLS for https). */
export type Connect = (target: ConnectTarget) => Socket;

export const systemResolve: Resolve = async (hostname) => {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export const directConnect: Connect = (target) =>
  target.tls
    ? tlsConnect({
        host: target.address,
        port: target.port,
        // SNI takes names only; the certificate is checked against the URL's host either way.
        ...(isIP(target.hostname) === 0 ? { servername: target.hostname } : {}),
        ALPNProtocols: ['http/1.1'],
      })
    : netConnect({ host: target.address, port: target.port });
