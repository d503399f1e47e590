import type { ResolvedProjectImage } from './compile-options';
import type { DockerCli, OutputStreams } from './docker-cli';
import { dockerBuildArgs, dockerPushArgs, shellCommand } from './docker-commands';

export interface BuildImagesOptions {
  /** Push each image after building it (or finding it built). */
  readonly push: boolean;
  /** The folder docker runs from; paths in the commands are relative to it. */
  readonly cwd: string;
  readonly out: OutputStreams;
}

/** The docker commands `kfp-ts build` would run, one shell line each, without running any. */
export function dryRunCommands(images: readonly ResolvedProjectImage[], options: Pick<BuildImagesOptions, 'push' | 'cwd'>): string[] {
  return images.flatMap((image) => [
    shellCommand(['docker', ...dockerBuildArgs(image, options.cwd)]),
    ...(options.push ? [shellCommand(['docker', ...dockerPushArgs(image)])] : []),
  ]);
}

/**
 * Builds (and with `push`, pushes) each image with the local Docker engine, one after another,
 * stopping at the first failure. An image whose exact reference the engine already holds is not
 * built again: the tag is a hash of everything that goes into it, so it is the same image. It is
 * still pushed when asked, since an earlier build may have stayed local (a push of layers the
 * registry holds costs a few requests). Returns the exit code for the command.
 */
export async function buildImagesWithDocker(
  images: readonly ResolvedProjectImage[],
  docker: DockerCli,
  options: BuildImagesOptions,
): Promise<number> {
  const { out } = options;
  let built = 0;
  let present = 0;
  for (const image of images) {
    if (await docker.imageExists(image.image)) {
      out.stdout(`${image.name}: ${image.image} is already built here; not building it again\n`);
      present++;
    } else {
      const code = await runShown(docker, dockerBuildArgs(image, options.cwd), out);
      if (code !== 0) {
        out.stderr(`kfp-ts build: building image '${image.name}' failed (docker exited with ${code})\n`);
        return 1;
      }
      built++;
    }
    if (options.push) {
      const code = await runShown(docker, dockerPushArgs(image), out);
      if (code !== 0) {
        out.stderr(
          `kfp-ts build: pushing ${image.image} failed (docker exited with ${code}); is docker logged in to the registry (gcloud auth configure-docker HOST)?\n`,
        );
        return 1;
      }
    }
  }
  const counts = [`${built} built`, `${present} already present`, ...(options.push ? [`${images.length} pushed`] : [])];
  out.stdout(`Images: ${counts.join(', ')}\n`);
  return 0;
}

async function runShown(docker: DockerCli, args: readonly string[], out: OutputStreams): Promise<number> {
  out.stdout(`$ ${shellCommand(['docker', ...args])}\n`);
  return docker.run(args, out);
}
