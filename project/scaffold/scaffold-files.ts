import { cloudbuildText } from './cloudbuild';
import { wordCountComponentText, wordReportComponentText } from './components';
import { configFileText } from './config-file';
import { dockerfileText, dockerignoreText, gitignoreText } from './docker-files';
import { packageJsonText } from './package-json';
import { pipelineText } from './pipeline';
import { readmeText } from './readme';
import { pipelineTestText, stepsTestText } from './tests';
import { tsconfigText } from './tsconfig';

export interface ScaffoldOptions {
  /** The npm package name. */
  readonly name: string;
  /** The dependency specifier of kfp-ts, e.g. `^0.1.0`. */
  readonly kfpTsSpec: string;
}

export interface ScaffoldFile {
  /** Relative to the project folder, with forward slashes. */
  readonly path: string;
  readonly text: string;
}

/** Every file of a new kfp-ts project, in the order they are written. */
export function scaffoldFiles(options: ScaffoldOptions): ScaffoldFile[] {
  return [
    { path: 'package.json', text: packageJsonText(options) },
    { path: 'tsconfig.json', text: tsconfigText() },
    { path: 'kfp-ts.config.ts', text: configFileText() },
    { path: 'components/word-count.ts', text: wordCountComponentText() },
    { path: 'components/word-report.ts', text: wordReportComponentText() },
    { path: 'pipelines/pipeline.ts', text: pipelineText() },
    { path: 'test/steps.test.ts', text: stepsTestText() },
    { path: 'test/pipeline.test.ts', text: pipelineTestText() },
    { path: 'Dockerfile', text: dockerfileText({ vendored: options.kfpTsSpec.startsWith('file:vendor/') }) },
    { path: '.dockerignore', text: dockerignoreText() },
    { path: '.gitignore', text: gitignoreText() },
    { path: 'cloudbuild.yaml', text: cloudbuildText() },
    { path: 'README.md', text: readmeText(options.name) },
  ];
}
