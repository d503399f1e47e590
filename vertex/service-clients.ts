import { isLoopbackHost } from '../compiler/util/loopback-host';
import { VertexInputError } from './vertex-input-error';

/**
 * Where service calls go: Vertex AI's regional endpoint, or `endpoint` (host:port), e.g. a
 * local emulator. A loopback endpoint is spoken to in plaintext without credentials; any other
 * endpoint uses TLS and Application Default Credentials.
 */
export interface ServiceAddress {
  readonly region: string;
  readonly endpoint?: string;
}

/** The options a @google-cloud/aiplatform service client is built with (kfp-ts's own type: public declarations name no third-party types). */
export interface ServiceClientOptions {
  readonly apiEndpoint: string;
  readonly port?: number;
  /** gRPC channel credentials (plaintext for a loopback emulator). */
  readonly sslCreds?: unknown;
  readonly universeDomain?: string;
}

/**
 * Options for a service client at `address`: Vertex AI's regional endpoint with TLS and Application
 * Default Credentials, or `endpoint`; a loopback endpoint (a local emulator) is spoken to in
 * plaintext, and with a universe domain given the client does not probe for credentials (a GCE
 * metadata lookup) before the first call.
 */
function clientOptions(region: string, target: { host: string; port: number } | undefined): ServiceClientOptions {
  if (target === undefined) return { apiEndpoint: `${region}-aiplatform.googleapis.com` };
  const { host, port } = target;
  if (!isLoopbackHost(host)) return { apiEndpoint: host, port };
  const { grpc } = require('google-gax') as typeof import('google-gax');
  return { apiEndpoint: host, port, sslCreds: grpc.credentials.createInsecure(), universeDomain: 'googleapis.com' };
}

/**
 * Clients of one service, built once per process and address on first use: loading
 * @google-cloud/aiplatform takes seconds (the package, then hashing its proto bundle on the first
 * client), so `create` requires it only then.
 */
export function serviceClientCache<C extends { close(): Promise<void> }>(create: (options: ServiceClientOptions) => C) {
  const clients = new Map<string, Promise<C>>();
  return {
    get(address: ServiceAddress): Promise<C> {
      // A malformed endpoint is bad input: reported before anything is loaded or called.
      const target = address.endpoint !== undefined ? parseEndpoint(address.endpoint) : undefined;
      const key = address.endpoint ?? `${address.region}-aiplatform.googleapis.com`;
      let client = clients.get(key);
      if (!client) {
        client = Promise.resolve().then(() => create(clientOptions(address.region, target)));
        clients.set(key, client);
        client.catch(() => clients.delete(key));
      }
      return client;
    },
    /** Closes every client opened (their gRPC channels), e.g. before a CLI command returns. */
    async closeAll(): Promise<void> {
      const open = [...clients.values()];
      clients.clear();
      await Promise.all(open.map(async (client) => (await client).close().catch(() => undefined)));
    },
  };
}

/** `host:port`, `[v6]:port` or `host` (port 443). */
export function parseEndpoint(endpoint: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(endpoint.trim());
  const port = Number(match?.[3] ?? 443);
  if (!match || port < 1 || port > 65535) {
    throw new VertexInputError([`endpoint '${endpoint}' is not host:port (e.g. localhost:8085 or us-central1-aiplatform.googleapis.com)`]);
  }
  return { host: match[1] ?? match[2]!, port };
}
