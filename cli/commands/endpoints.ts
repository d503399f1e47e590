import * as path from 'node:path';
import { runningServer } from '../../serving/detached-server';
import { openLocalRegistry } from '../../serving/registry/local-registry';
import { predictPath } from '../../serving/vertex-resource-names';
import { defaultLocalFolder } from '../../runner/run-pipeline';
import { UsageError, type Command } from '../sub-command';
import { parseArgs } from '../parse-args';

const usage = `Usage: kfp-ts endpoints list [--state-dir DIR]
       kfp-ts endpoints rollback ENDPOINT [--to-version V] [--state-dir DIR]

list       the local endpoints, their deployed models and traffic split, and the predict URL when
           the background prediction server runs
rollback   send all of ENDPOINT's traffic (an id, resource name or display name) back to the model
           deployed before the one serving now, or with --to-version to that version of the served
           model (deployed first if the endpoint never had it); a running server switches at once

  --state-dir DIR   the folder holding registry/ (default .kfp-ts)
`;

export const endpointsCommand: Command = {
  name: 'endpoints',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { values: { stateDir: ['--state-dir'], toVersion: ['--to-version'] } });
    const [action, reference, ...rest] = args.positionals;
    if (rest.length) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
    const stateDir = path.resolve(io.cwd, args.values['stateDir'] ?? defaultLocalFolder);
    const registry = openLocalRegistry(stateDir);
    if (action === 'list') {
      if (reference !== undefined) throw new UsageError(`unexpected argument: ${reference}`);
      const endpoints = registry.endpoints.list();
      if (endpoints.length === 0) {
        io.stdout(`No local endpoints in ${registry.root}.\n`);
        return 0;
      }
      const server = await runningServer(stateDir);
      for (const endpoint of endpoints) {
        io.stdout(`${endpoint.name}  (${endpoint.displayName})\n`);
        for (const d of endpoint.deployedModels) {
          io.stdout(`  deployed model ${d.id}: ${d.model}  ${endpoint.trafficSplit[d.id] ?? 0} %\n`);
        }
        io.stdout(
          server
            ? `  predict: POST ${server.url}${predictPath(endpoint.name)}\n`
            : `  not served now: 'kfp-ts serve --detach' starts the server\n`,
        );
      }
      return 0;
    }
    if (action === 'rollback') {
      if (reference === undefined) throw new UsageError('rollback needs an ENDPOINT (its id, resource name or display name)');
      try {
        const target = registry.endpoints.rollback(
          reference,
          args.values['toVersion'] !== undefined ? { toVersion: args.values['toVersion'] } : {},
        );
        io.stdout(
          `${registry.endpoints.find(reference).name}: 100 % of traffic now goes to deployed model ${target.id} (${target.model}).\n`,
        );
        return 0;
      } catch (error) {
        io.stderr(`kfp-ts endpoints rollback: ${(error as Error).message}\n`);
        return 1;
      }
    }
    throw new UsageError(action === undefined ? 'give an action: list or rollback' : `unknown action '${action}': use list or rollback`);
  },
};
