import * as path from 'node:path';
import { buildImagesWithDocker, dryRunCommands } from '../../project/build-images';
import { cloudBuildImagesConfig, cloudBuildSourceFolder } from '../../project/cloud-build-images';
import { resolveProjectImages, type ResolvedProjectImage } from '../../project/compile-options';
import { isSentToDocker } from '../../project/image-hash';
import { writeMissingDockerfiles } from '../../project/missing-dockerfiles';
import { DockerCli } from '../../project/docker-cli';
import { shellCommand, shownPath } from '../../project/docker-commands';
import type { LoadedConfig } from '../../project/load-config';
import { UsageError, type Command, type CommandIo } from '../sub-command';
import { parseArgs } from '../parse-args';
import { PROJECT_OPTION_NAMES, projectConfigOfCwd, projectValues } from '../project-options';
import { writeOutputFile } from '../write-output-file';

const usage = `Usage: kfp-ts build [--push] [--dry-run | --print-tags | --cloudbuild FILE] [options]

Builds the project's images (images in kfp-ts.config.ts) with the local Docker engine, each tagged
with a hash of its Dockerfile and build context: the tag containerized steps compile to. An image
whose reference is already built here is not built again.

  --push              push each image to the registry after building it
  --dry-run           print the docker commands instead of running them
  --print-tags        print 'name reference' lines (what the pipeline compiles to), nothing else
  --cloudbuild FILE   write a Cloud Build config that builds and pushes the images instead of
                      building here (for machines without Docker); submit it with the gcloud
                      command printed. The upload leaves out what .gcloudignore (else .gitignore)
                      lists: keep those files out of the image too (.dockerignore)
  --config FILE       the project's kfp-ts.config.ts (default: the first one found going up from
                      the working directory to its package.json)
  --registry PATH     push path of the project's images, overriding the configuration's
`;

export const buildCommand: Command = {
  name: 'build',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: { cloudbuild: ['--cloudbuild'], ...PROJECT_OPTION_NAMES },
      flags: { push: ['--push'], dryRun: ['--dry-run'], printTags: ['--print-tags'] },
    });
    if (args.positionals.length) throw new UsageError(`unexpected arguments: ${args.positionals.join(' ')}`);
    const modes = [
      args.flags['dryRun'] && '--dry-run',
      args.flags['printTags'] && '--print-tags',
      args.values['cloudbuild'] !== undefined && '--cloudbuild',
    ].filter(Boolean);
    if (modes.length > 1) throw new UsageError(`${modes.join(' and ')} cannot be combined`);
    const push = args.flags['push'] === true;
    const loaded = projectConfigOfCwd(projectValues(args.values), io.cwd);
    if (loaded.file === undefined) {
      io.stderr(
        `kfp-ts build: no kfp-ts.config.ts between ${io.cwd} and its package.json; run it inside a project (kfp-ts init makes one) or pass --config FILE\n`,
      );
      return 1;
    }
    // --print-tags and --dry-run have no side effects; building starts from a Dockerfile, written if missing.
    if (!args.flags['printTags'] && !args.flags['dryRun']) {
      for (const file of writeMissingDockerfiles(loaded)) {
        io.stderr(
          `Wrote ${shownPath(file, io.cwd)}: a starting point (node:20-slim, npm ci, the project in /app); review it and commit it\n`,
        );
      }
    }
    const images = resolveProjectImages(loaded);
    if (args.flags['printTags']) {
      for (const image of images) io.stdout(`${image.name} ${image.image}\n`);
      return 0;
    }
    if (images.length === 0) {
      io.stdout(`${shownPath(loaded.file, io.cwd)} defines no images; nothing to build\n`);
      return 0;
    }
    const cloudbuild = args.values['cloudbuild'];
    if ((push || cloudbuild !== undefined) && loaded.config.registry === undefined) {
      io.stderr(
        `kfp-ts build: pushing needs a registry; set registry in ${shownPath(loaded.file, io.cwd)} or pass --registry (e.g. us-central1-docker.pkg.dev/my-project/ml)\n`,
      );
      return 1;
    }
    if (args.flags['dryRun']) {
      for (const line of dryRunCommands(images, { push, cwd: io.cwd })) io.stdout(`${line}\n`);
      return 0;
    }
    if (cloudbuild !== undefined) return writeCloudBuild(images, loaded, path.resolve(io.cwd, cloudbuild), io);
    const docker = new DockerCli(io.cwd);
    const engine = await docker.probe();
    if (!engine.ok) {
      io.stderr(
        `kfp-ts build: no working Docker engine here (${engine.reason}).\n` +
          `  Build in Google Cloud instead: kfp-ts build --cloudbuild cloudbuild.images.yaml, then run the gcloud command it prints;\n` +
          `  or see the docker commands with: kfp-ts build --dry-run${push ? ' --push' : ''}\n`,
      );
      return 1;
    }
    return await buildImagesWithDocker(images, docker, { push, cwd: io.cwd, out: io });
  },
};

function writeCloudBuild(images: readonly ResolvedProjectImage[], loaded: LoadedConfig, file: string, io: CommandIo): number {
  // The file names the tags, so it must not be part of what they hash: written inside a build
  // context that does not ignore it, it would change the very tags it names. Checked before
  // anything is written, so no file of the user's is touched.
  const inContext = images.filter((image) => isSentToDocker(image.context, image.dockerfile, file));
  if (inContext.length) {
    io.stderr(
      `kfp-ts build: ${shownPath(file, io.cwd)} would be part of the build context of ${inContext.map((image) => `'${image.name}'`).join(', ')} and so change the tags it names; ` +
        `write it elsewhere (e.g. build/cloudbuild.images.yaml, with build/ in .dockerignore), or list it in the context's .dockerignore\n`,
    );
    return 1;
  }
  const submit = shellCommand([
    'gcloud',
    'builds',
    'submit',
    '--config',
    shownPath(file, io.cwd),
    shownPath(cloudBuildSourceFolder(images), io.cwd),
  ]);
  writeOutputFile(file, cloudBuildImagesConfig(images, loaded.file ?? file, submit));
  io.stdout(`Wrote ${shownPath(file, io.cwd)}: builds and pushes ${images.map((image) => image.image).join(', ')}\n`);
  io.stdout(`Submit it with: ${submit}\n`);
  return 0;
}
