/**
 * The local stand-ins for GCPC's Vertex AI launchers, which whoever runs a pipeline passes to the
 * runner (`runPipeline(spec, { localLaunchers: gcpcLocalLaunchers })`, as the CLI does). Any task
 * running the GCPC image with a `python3 -u -m
 * google_cloud_pipeline_components.container.v1.<module>.launcher` command is claimed, so that a
 * launcher without a local equivalent fails with a clear message instead of trying to start
 * python3 on the host.
 */
import type { IrContainerSpec } from '../../compiler/ir/pipeline-spec';
import type { LocalLauncher, LocalLaunch } from '../../runner/local-launchers';
import { GCPC_LAUNCHER_MODULES } from '../../components/gcpc/gcpc-image';
import { createEndpointLocally } from './create-endpoint';
import { deployModelLocally, type LocalServingOptions } from './deploy-model';
import { parseLauncherArgs } from './launcher-args';
import { uploadModelLocally } from './upload-model';

const GCPC_IMAGE = /^gcr\.io\/ml-pipeline\/google-cloud-pipeline-components[:@]/;
const LAUNCHER_MODULE = /^google_cloud_pipeline_components\.container\.v1\.(.+)\.launcher$/;

type Implementation = (launch: LocalLaunch, options: LocalServingOptions) => Promise<void>;

const IMPLEMENTED: Record<string, Implementation> = {
  [GCPC_LAUNCHER_MODULES.UploadModel]: (launch) => uploadModelLocally(launch, parseLauncherArgs(launch.argv)),
  [GCPC_LAUNCHER_MODULES.CreateEndpoint]: (launch) => createEndpointLocally(launch, parseLauncherArgs(launch.argv)),
  [GCPC_LAUNCHER_MODULES.DeployModel]: (launch, options) => deployModelLocally(launch, parseLauncherArgs(launch.argv), options),
};

/** The launcher module (`model.upload_model`, …) a GCPC image's command runs, or undefined for any other container. */
export function gcpcLauncherModule(image: string, command: readonly string[]): string | undefined {
  if (!GCPC_IMAGE.test(image) || command[0] !== 'python3') return undefined;
  const flag = command.indexOf('-m');
  return flag < 0 ? undefined : LAUNCHER_MODULE.exec(command[flag + 1] ?? '')?.[1];
}

/** The stand-ins, with deployed models' serving commands looked up as `options` says. */
export function createGcpcLocalLaunchers(options: LocalServingOptions = {}): readonly LocalLauncher[] {
  return [
    {
      description: 'GCPC Vertex AI launchers against the local model registry and prediction server',
      matches: (container: IrContainerSpec) => gcpcLauncherModule(container.image, container.command ?? []) !== undefined,
      run: async (launch) => {
        const module = gcpcLauncherModule(launch.image, launch.argv)!;
        const implementation = IMPLEMENTED[module];
        if (!implementation) {
          throw new Error(
            `GCPC's ${module} launcher has no local equivalent (the local runner implements ${Object.keys(IMPLEMENTED).join(', ')}); run this pipeline on Vertex AI (kfp-ts submit).`,
          );
        }
        await implementation(launch, options);
      },
    },
  ];
}

/** The stand-ins with serving commands looked up in the run's project (its node_modules/.bin folders, then PATH). */
export const gcpcLocalLaunchers: readonly LocalLauncher[] = createGcpcLocalLaunchers();
