/**
 * A short description of where a deployed model answers, for the end of the demo and of other
 * commands that deployed: the newest endpoint with a display name, its serving version and its
 * predict URL on the background server, with an example body (what a model's instances look like
 * is the model's business: the caller may show its own).
 */
import { runningServer } from './detached-server';
import { openLocalRegistry } from './registry/local-registry';
import { servingModel } from './registry/endpoint-registry';
import { predictPath } from './vertex-resource-names';

export async function endpointSummary(stateDir: string, displayName: string, requestExample = '{"instances": [...]}'): Promise<string> {
  const endpoint = openLocalRegistry(stateDir)
    .endpoints.list()
    .filter((e) => e.displayName === displayName)
    .at(-1);
  const serving = endpoint && servingModel(endpoint);
  if (!endpoint || !serving) return `Endpoint: none (no model was deployed to an endpoint named '${displayName}')\n`;
  const server = await runningServer(stateDir);
  const url = server ? `POST ${server.url}${predictPath(endpoint.name)}` : `not served now ('npx kfp-ts serve --detach' starts the server)`;
  return (
    `Endpoint: ${endpoint.name} serves ${serving.model}\n` +
    `          ${url}  ${requestExample}\n` +
    `          (npx kfp-ts endpoints list | rollback ${endpoint.name.split('/').at(-1)} | serve --stop)\n`
  );
}
