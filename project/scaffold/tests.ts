/** The tests of a new project, run by Node's own test runner (\`npm test\`). */

/** test/steps.test.ts: each step's implementation called through runStep, no pipeline involved. */
export function stepsTestText(): string {
  return `import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { runStep } from 'kfp-ts/testing';
import { countWords } from '../components/word-count';
import { wordReport } from '../components/word-report';

test('count-words writes one word per line and returns how many', async () => {
  const result = await runStep(countWords, { text: ' to be  or not to be ' });
  assert.equal(result.parameters['count'], 6);
  assert.equal(fs.readFileSync(result.artifacts['words'].path, 'utf8'), 'to\\nbe\\nor\\nnot\\nto\\nbe\\n');
  assert.equal(result.artifacts['words'].metadata['count'], 6);
});

test('word-report ranks the most frequent words', async () => {
  const words = await runStep(countWords, { text: 'b a b c b a' });
  const report = await runStep(wordReport, { words: { path: words.artifacts['words'].path }, count: 6, top: 2 });
  const text = fs.readFileSync(report.artifacts['report'].path, 'utf8');
  assert.match(text, /6 words, 3 distinct/);
  assert.match(text, /\\| b \\| 3 \\|\\n\\| a \\| 2 \\|\\n$/);
});
`;
}

/** test/pipeline.test.ts: the pipeline compiled with explicit options, and assertions on its IR. */
export function pipelineTestText(): string {
  return `import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { compilePipeline } from 'kfp-ts';
import words from '../pipelines/pipeline';

// The options kfp-ts.config.ts gives \`kfp-ts compile\`, written out: a fixed image name, so the
// test does not depend on the image's content-hash tag.
const projectFolder = path.resolve(__dirname, '..');
const spec = compilePipeline(words, { steps: { projectImages: { steps: { image: 'steps:test', context: projectFolder } } } });

test('the pipeline runs count-words, then word-report on its outputs', () => {
  const tasks = spec.root.dag?.tasks ?? {};
  assert.deepEqual(Object.keys(tasks).sort(), ['count-words', 'word-report']);
  assert.deepEqual(tasks['word-report'].inputs?.artifacts?.['words'], {
    taskOutputArtifact: { producerTask: 'count-words', outputArtifactKey: 'words' },
  });
});

test('count-words is bundled onto node:20-slim; word-report runs in the steps image', () => {
  const executors = spec.deploymentSpec?.executors ?? {};
  const countWords = executors['exec-count-words'].container;
  assert.equal(countWords?.image, 'node:20-slim');
  assert.equal(countWords?.command?.[0], 'sh');
  const wordReport = executors['exec-word-report'].container;
  assert.equal(wordReport?.image, 'steps:test');
  assert.deepEqual(wordReport?.command, ['kfp-ts', 'exec-component', 'components/word-report.ts', 'word-report']);
});
`;
}
