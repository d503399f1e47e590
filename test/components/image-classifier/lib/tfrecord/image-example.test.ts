import {
  bytesFeature,
  decodeExample,
  encodeExample,
  floatFeature,
  int64Feature,
} from '../../../../../components/image-classifier/lib/tfrecord/example';
import {
  IMAGE_FEATURE_KEYS,
  imageExample,
  readImageExample,
  type ImageRecord,
} from '../../../../../components/image-classifier/lib/tfrecord/image-example';

const record: ImageRecord = {
  encoded: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0xff, 0xd9]),
  format: 'JPEG',
  height: 224,
  width: 256,
  label: 0,
  text: 'chat noir 🐈',
  filename: 'img_0001.jpg',
};

describe('image-classification Examples', () => {
  it('writes the conventional keys with the conventional types', () => {
    const example = imageExample(record);
    expect(Object.keys(example).sort()).toEqual(Object.values(IMAGE_FEATURE_KEYS).sort());
    expect(example['image/encoded']).toEqual(bytesFeature(record.encoded));
    expect(example['image/format']).toEqual(bytesFeature('JPEG'));
    expect(example['image/height']).toEqual(int64Feature(224));
    expect(example['image/width']).toEqual(int64Feature(256));
    expect(example['image/class/label']).toEqual(int64Feature(0));
    expect(example['image/class/text']).toEqual(bytesFeature('chat noir 🐈'));
    expect(example['image/filename']).toEqual(bytesFeature('img_0001.jpg'));
  });

  it('reads back through the wire format, extra features included', () => {
    const encoded = encodeExample({ ...imageExample(record), 'image/key/sha256': bytesFeature('abc') });
    const decoded = readImageExample(decodeExample(encoded));
    expect({ ...decoded, encoded: [...decoded.encoded] }).toEqual({ ...record, encoded: [...record.encoded] });
  });

  it('rejects labels that are not 0-based class indices and sizes that are not positive', () => {
    expect(() => imageExample({ ...record, label: -1 })).toThrow(
      "Image record 'label' must be an integer ≥ 0, got -1. Labels are 0-based class indices",
    );
    expect(() => imageExample({ ...record, label: 1.5 })).toThrow("'label' must be an integer ≥ 0, got 1.5");
    expect(() => imageExample({ ...record, width: 0 })).toThrow("Image record 'width' must be an integer ≥ 1, got 0.");
  });

  it('names the missing or mistyped key when reading', () => {
    const example = imageExample(record);
    const { [IMAGE_FEATURE_KEYS.label]: _label, ...withoutLabel } = example;
    expect(() => readImageExample(withoutLabel)).toThrow(
      /^tf\.train\.Example has no 'image\/class\/label' feature \(features present: image\/encoded, .*\)\. Write image records with imageExample\(\)/,
    );
    expect(() => readImageExample({ ...example, 'image/height': floatFeature(224) })).toThrow(
      "feature 'image/height' is a float list, expected an int64 list",
    );
    expect(() => readImageExample({ ...example, 'image/width': int64Feature([1, 2]) })).toThrow(
      "feature 'image/width' holds 2 values, expected exactly 1",
    );
    expect(() => readImageExample({ ...example, 'image/class/label': int64Feature(2n ** 60n) })).toThrow('beyond the range of a JS number');
  });
});
