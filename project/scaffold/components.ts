/** The two example steps of a new project: one of each packaging. */

/** components/word-count.ts: a lightweight step (bundled at compile time, runs on a stock Node image). */
export function wordCountComponentText(): string {
  return `import * as fs from 'node:fs';
import { Dataset, functionComponent, t } from 'kfp-ts';

/**
 * A lightweight step: when the pipeline compiles, this module and the pure JavaScript it imports
 * are bundled into the step's command, which runs on a stock Node image (node:20-slim). There is
 * no image to build, and a change to this code changes the step's cache key.
 */
export const countWords = functionComponent({
  name: 'count-words',
  description: 'Splits a text into words: one per line in words, how many in count.',
  inputs: { text: t.string() },
  outputs: { words: Dataset, count: t.int() },
  implementation: ({ inputs, outputs }) => {
    const words = inputs.text.split(/\\s+/).filter((word) => word !== '');
    fs.writeFileSync(outputs.words.path, words.map((word) => word + '\\n').join(''));
    outputs.words.metadata['count'] = words.length;
    return { count: words.length };
  },
});
`;
}

/** components/word-report.ts: a containerized step (runs in the project's \`steps\` image). */
export function wordReportComponentText(): string {
  return `import * as fs from 'node:fs';
import { Dataset, Markdown, functionComponent, projectImage, t } from 'kfp-ts';

/**
 * A containerized step: it runs \`kfp-ts exec-component components/word-report.ts word-report\` in
 * the project's \`steps\` image (./Dockerfile, built by \`kfp-ts build\`), so it may use anything
 * installed there, native addons included. \`kfp-ts run\` runs it from this project's folder.
 */
export const wordReport = functionComponent({
  name: 'word-report',
  description: 'Writes a Markdown table of the most frequent words.',
  targetImage: projectImage('steps'),
  inputs: { words: Dataset, count: t.int(), top: t.int({ default: 3 }) },
  outputs: { report: Markdown },
  implementation: ({ inputs, outputs }) => {
    const frequency = new Map<string, number>();
    for (const line of fs.readFileSync(inputs.words.path, 'utf8').split('\\n')) {
      const word = line.toLowerCase();
      if (word !== '') frequency.set(word, (frequency.get(word) ?? 0) + 1);
    }
    const ranked = [...frequency].sort(([a, m], [b, n]) => n - m || a.localeCompare(b)).slice(0, inputs.top);
    const rows = ranked.map(([word, n]) => '| ' + word + ' | ' + n + ' |');
    const lines = ['# Words', '', inputs.count + ' words, ' + frequency.size + ' distinct.', '', '| word | count |', '| --- | --- |', ...rows];
    fs.writeFileSync(outputs.report.path, lines.join('\\n') + '\\n');
  },
});
`;
}
