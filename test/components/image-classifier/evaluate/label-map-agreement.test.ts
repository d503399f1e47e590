import { requireSameLabelMap } from '../../../../components/image-classifier/evaluate/label-map-agreement';
import { labelsSha256 } from '../../../../components/image-classifier/evaluate/model-files';

const model = { what: 'the model', where: '/m', labels: ['cat', 'dog', 'fox'] };

it('returns the shared labels sha256 when every label map agrees', () => {
  const same = (what: string) => ({ what, where: `/${what}`, labels: ['cat', 'dog', 'fox'] });
  expect(requireSameLabelMap(model, [same('val'), same('test')])).toBe(labelsSha256(['cat', 'dog', 'fox']));
});

it('names every disagreeing source, its hash and the first difference', () => {
  const reordered = { what: 'the val Dataset', where: '/val', labels: ['cat', 'fox', 'dog'] };
  const longer = { what: 'the test Dataset', where: '/test', labels: ['cat', 'dog', 'fox', 'owl'] };
  let message = '';
  try {
    requireSameLabelMap(model, [reordered, longer]);
  } catch (error) {
    message = (error as Error).message;
  }
  const short = (labels: string[]) => `${labelsSha256(labels).slice(0, 12)}…`;
  expect(message.split('\n')).toEqual([
    "label maps disagree, so the model's output columns cannot be matched to the Datasets' class indices:",
    `- the model (/m): 3 classes [cat, dog, fox], labels sha256 ${short(model.labels)}`,
    `- the val Dataset (/val): 3 classes [cat, fox, dog], labels sha256 ${short(reordered.labels)} — class 1 is "dog" in one and "fox" in the other`,
    `- the test Dataset (/test): 4 classes [cat, dog, fox, owl], labels sha256 ${short(longer.labels)} — one has 3 classes and the other 4`,
    'Evaluate the model with the val and test Datasets of the preprocess run it was trained on, or retrain it on these Datasets.',
  ]);
});

it('shows at most 8 class names', () => {
  const many = Array.from({ length: 12 }, (_, k) => `c${k}`);
  expect(() =>
    requireSameLabelMap({ what: 'the model', where: '/m', labels: many }, [{ what: 'val', where: '/v', labels: many.slice(0, 11) }]),
  ).toThrow('12 classes [c0, c1, c2, c3, c4, c5, c6, c7, …]');
});
