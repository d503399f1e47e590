/**
 * The local demo: counts vowels in a text in parallel, sums them, and writes a report when the text
 * is long enough. Every component runs `node` in the `node:20-slim` image, so the same compiled IR
 * runs on Vertex AI and, with `kfp-ts run`, on this machine.
 */
import { Dataset, If, Markdown, ParallelFor, containerComponent, pipeline, t } from '../compiler';

const nodeImage = 'node:20-slim';

const writeCorpus = containerComponent({
  name: 'write-corpus',
  description: 'Writes the text to a Dataset, one word per line.',
  inputs: { text: t.string() },
  outputs: { corpus: Dataset, words: t.int() },
  image: nodeImage,
  command: ({ inputs, outputs }) => [
    'node',
    '-e',
    `const fs = require('fs'), path = require('path');
const [text, corpus, wordsFile] = process.argv.slice(1);
const words = text.split(/\\s+/).filter(Boolean);
fs.mkdirSync(path.dirname(corpus), { recursive: true });
fs.writeFileSync(corpus, words.join('\\n') + '\\n');
fs.mkdirSync(path.dirname(wordsFile), { recursive: true });
fs.writeFileSync(wordsFile, String(words.length));`,
    inputs.text,
    outputs.corpus.path,
    outputs.words.path,
  ],
});

const countLetter = containerComponent({
  name: 'count-letter',
  inputs: { corpus: Dataset, letter: t.string() },
  outputs: { count: t.int() },
  image: nodeImage,
  command: ({ inputs, outputs }) => [
    'node',
    '-e',
    `const fs = require('fs'), path = require('path');
const [corpus, letter, out] = process.argv.slice(1);
const count = [...fs.readFileSync(corpus, 'utf8').toLowerCase()].filter((c) => c === letter).length;
console.log(letter, count);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, String(count));`,
    inputs.corpus.path,
    inputs.letter,
    outputs.count.path,
  ],
});

const sumCounts = containerComponent({
  name: 'sum-counts',
  inputs: { counts: t.list<number>() },
  outputs: { total: t.int() },
  image: nodeImage,
  command: ({ inputs, outputs }) => [
    'node',
    '-e',
    `const fs = require('fs'), path = require('path');
const [counts, out] = process.argv.slice(1);
const total = JSON.parse(counts).reduce((a, b) => a + b, 0);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, String(total));`,
    inputs.counts,
    outputs.total.path,
  ],
});

const writeReport = containerComponent({
  name: 'write-report',
  inputs: { words: t.int(), vowels: t.int() },
  outputs: { report: Markdown },
  image: nodeImage,
  command: ({ inputs, outputs }) => [
    'node',
    '-e',
    `const fs = require('fs'), path = require('path');
const [words, vowels, out] = process.argv.slice(1);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, '# Word stats\\n\\n| words | vowels |\\n|---|---|\\n| ' + words + ' | ' + vowels + ' |\\n');`,
    inputs.words,
    inputs.vowels,
    outputs.report.path,
  ],
});

export default pipeline(
  {
    name: 'word-stats',
    description: 'Counts vowels in parallel and reports when the text is long enough.',
    params: {
      text: t.string({ default: 'Pipelines written in TypeScript compile to the same IR that Vertex AI runs' }),
      minimumWords: t.int({ default: 5 }),
    },
  },
  ({ text, minimumWords }) => {
    const corpus = writeCorpus({ text });
    const counts = ParallelFor(
      ['a', 'e', 'i', 'o', 'u'],
      (letter) => ({ count: countLetter({ corpus: corpus.outputs.corpus, letter }).outputs.count }),
      { parallelism: 3 },
    );
    const total = sumCounts({ counts: counts.outputs.count });
    If(corpus.outputs.words.ge(minimumWords), () => {
      writeReport({ words: corpus.outputs.words, vowels: total.outputs.total });
    });
    return { vowels: total.outputs.total };
  },
);
