/** pipelines/pipeline.ts of a new project: the two example steps wired together. */
export function pipelineText(): string {
  return `import { pipeline, t } from 'kfp-ts';
import { countWords } from '../components/word-count';
import { wordReport } from '../components/word-report';

/**
 * Counts the words of a text (a lightweight step), then reports the most frequent ones (a
 * containerized step that reads the first step's Dataset).
 */
export default pipeline(
  {
    name: 'words',
    description: 'Counts the words of a text and reports the most frequent ones.',
    params: { text: t.string({ default: 'the quick brown fox jumps over the lazy dog and the cat' }) },
  },
  ({ text }) => {
    const counted = countWords({ text });
    const report = wordReport({ words: counted.outputs.words, count: counted.outputs.count });
    return { report: report.outputs.report, count: counted.outputs.count };
  },
);
`;
}
