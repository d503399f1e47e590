import { createHash } from 'node:crypto';
import { MODEL_JSON_VERSION, labelMapJson, labelsSha256, modelJson } from '../../../../components/image-classifier/evaluate/model-files';

const decision = { labels: ['cat', 'dog', 'fox'], tau: 0.44, margin: 0.05, temperature: 2.04, top1: 0.91, top3: 0.99, ece: 0.031 };

describe('labelsSha256', () => {
  test('is the sha256 of the compact JSON array of names, so any language can recompute it', () => {
    expect(labelsSha256(['cat', 'dog'])).toBe(createHash('sha256').update('["cat","dog"]').digest('hex'));
    // pinned with Python: hashlib.sha256(b'["cat","dog"]').hexdigest()
    expect(labelsSha256(['cat', 'dog'])).toBe('07bdda6536300f70cd3ae02db4e242d6c8ebf7609da98970c67bb4753e900c38');
    expect(labelsSha256(['dog', 'cat'])).not.toBe(labelsSha256(['cat', 'dog']));
  });

  test('refuses empty, duplicate or blank names', () => {
    expect(() => labelsSha256([])).toThrow('labels is empty');
    expect(() => labelsSha256(['cat', 'dog', 'cat'])).toThrow('label "cat" appears at index 0 and 2; class names must be distinct');
    expect(() => labelsSha256(['cat', ''])).toThrow('label 1 is ""; class names must be non-empty strings');
  });
});

describe('model.json', () => {
  test('holds version, tau, margin, temperature, top1, top3, ece and the labels hash, in that order', () => {
    const text = modelJson(decision);
    expect(text.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(text);
    expect(parsed).toEqual({
      version: MODEL_JSON_VERSION,
      tau: 0.44,
      margin: 0.05,
      temperature: 2.04,
      top1: 0.91,
      top3: 0.99,
      ece: 0.031,
      labelsSha256: labelsSha256(['cat', 'dog', 'fox']),
    });
    expect(Object.keys(parsed)).toEqual(['version', 'tau', 'margin', 'temperature', 'top1', 'top3', 'ece', 'labelsSha256']);
  });

  test('refuses values the app could not use', () => {
    expect(() => modelJson({ ...decision, tau: NaN })).toThrow('model.json tau is NaN; it must be a finite number in [0, 1]');
    expect(() => modelJson({ ...decision, temperature: 0 })).toThrow('model.json temperature is 0');
  });
});

describe('label_map.json', () => {
  test('lists the names in class-index order with the same hash as model.json', () => {
    const labelMap = JSON.parse(labelMapJson(decision.labels));
    expect(labelMap).toEqual({ labels: ['cat', 'dog', 'fox'], labelsSha256: JSON.parse(modelJson(decision)).labelsSha256 });
  });
});
