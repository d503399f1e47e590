/**
 * The serving image keeps Vertex AI's custom-container contract: it runs the image classifier's
 * serving command, kfp-ts-classifier-server, which learns where the model is and where to listen
 * and answer only from AIP_* variables; the command is on the image's PATH under the name the demo
 * pipeline's containerSpec gives (the same name the local stand-in finds in node_modules/.bin).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { servingSettings } from '../../components/image-classifier/prediction-server/serve-from-environment';
import { IMAGES } from '../../containers/images';
import { Dockerfile, envPairs, execForm } from './dockerfile';

const root = path.resolve(__dirname, '../..');
const dockerfile = new Dockerfile(path.join(root, IMAGES.serving.dockerfile));
const instructions = dockerfile.finalStage.instructions;
const env = Object.assign({}, ...instructions.filter((i) => i.keyword === 'ENV').map(envPairs)) as Record<string, string>;
const entrypoint = execForm(instructions.find((i) => i.keyword === 'ENTRYPOINT')!);
const classifierPackage = JSON.parse(fs.readFileSync(path.join(root, 'components/image-classifier/package.json'), 'utf8')) as {
  bin: Record<string, string>;
};
const BIN_NAME = 'kfp-ts-classifier-server';
/** The bin's file as a path in the image (the repository is copied to /app). */
const binInImage = `/app/${path.posix.join('components/image-classifier', classifierPackage.bin[BIN_NAME]!)}`;

/** The containerSpec the demo pipeline uploads its model with, from its golden IR. */
function demoContainerSpec(): { command?: string[]; predictRoute?: string; healthRoute?: string } {
  const spec = yaml.load(fs.readFileSync(path.join(root, 'test/pipelines/goldens/image-classifier.yaml'), 'utf8')) as any;
  const importer = Object.values(spec.deploymentSpec.executors as Record<string, any>).find(
    (e) => e.importer?.typeSchema?.schemaTitle === 'google.UnmanagedContainerModel',
  );
  return importer.importer.metadata.containerSpec;
}

describe('the serving image', () => {
  test('defaults the AIP_* port and routes for a local docker run, exposes that port, and the server reads exactly those', () => {
    expect(env['AIP_HTTP_PORT']).toMatch(/^\d+$/);
    expect(instructions.filter((i) => i.keyword === 'EXPOSE').map((i) => i.text)).toContain(env['AIP_HTTP_PORT']);
    expect(servingSettings({ ...env, AIP_STORAGE_URI: 'gs://bucket/model' })).toMatchObject({
      port: Number(env['AIP_HTTP_PORT']),
      healthRoute: env['AIP_HEALTH_ROUTE'],
      predictRoute: env['AIP_PREDICT_ROUTE'],
      host: '0.0.0.0',
    });
  });

  test("starts the classifier package's serving bin", () => {
    expect(entrypoint).toEqual(['node', binInImage]);
  });

  test("puts that bin on PATH under the name the demo's containerSpec runs, with the routes the image defaults to", () => {
    const links = instructions
      .filter((i) => i.keyword === 'RUN')
      .map((i) => /^ln -s (\S+) \/usr\/local\/bin\/(\S+)$/.exec(i.text.trim()))
      .filter((m) => m !== null);
    expect(links.map((m) => [m![1], m![2]])).toContainEqual([binInImage, BIN_NAME]);
    const spec = demoContainerSpec();
    expect(spec.command).toEqual([BIN_NAME]);
    expect(spec.predictRoute).toBe(env['AIP_PREDICT_ROUTE']);
    expect(spec.healthRoute).toBe(env['AIP_HEALTH_ROUTE']);
  });
});
