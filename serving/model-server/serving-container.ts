/**
 * A model version's serving container (Vertex's ModelContainerSpec), read from the local registry
 * into the fields the local stand-in uses. The upload launcher stores it in snake_case, as it
 * sends it to the API; records written by hand often use the REST API's camelCase, so both are read.
 */

export interface ServingContainer {
  readonly imageUri: string;
  /** Replaces the image's ENTRYPOINT; empty when the image's own ENTRYPOINT runs. */
  readonly command: readonly string[];
  /** Replaces the image's CMD. */
  readonly args: readonly string[];
  readonly env: readonly { readonly name: string; readonly value: string }[];
  /** The first `containerPort`: Vertex sends health checks and predictions there (8080 when none is listed). */
  readonly containerPort: number;
  readonly predictRoute?: string;
  readonly healthRoute?: string;
}

/** Vertex's port when `ports` is empty. */
export const DEFAULT_CONTAINER_PORT = 8080;

export function servingContainer(spec: Readonly<Record<string, unknown>>): ServingContainer {
  const field = (snake: string, camel: string): unknown => spec[snake] ?? spec[camel];
  const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
  const env = Array.isArray(field('env', 'env'))
    ? (field('env', 'env') as Record<string, unknown>[]).map((entry) => ({
        name: String(entry['name'] ?? ''),
        value: String(entry['value'] ?? ''),
      }))
    : [];
  const firstPort = (Array.isArray(field('ports', 'ports')) ? (field('ports', 'ports') as Record<string, unknown>[]) : [])[0];
  const port = firstPort ? Number(firstPort['container_port'] ?? firstPort['containerPort']) : DEFAULT_CONTAINER_PORT;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const predictRoute = text(field('predict_route', 'predictRoute'));
  const healthRoute = text(field('health_route', 'healthRoute'));
  return {
    imageUri: String(field('image_uri', 'imageUri') ?? ''),
    command: strings(field('command', 'command')),
    args: strings(field('args', 'args')),
    env,
    containerPort: Number.isInteger(port) && port > 0 ? port : DEFAULT_CONTAINER_PORT,
    ...(predictRoute ? { predictRoute } : {}),
    ...(healthRoute ? { healthRoute } : {}),
  };
}
