import { PathEscapeError } from '../../../../../compiler/util/contained-path';
import { parseGcsUri, resolveGcsReference } from '../../../../../components/image-classifier/lib/storage/gcs-uri';

describe('gs:// URIs', () => {
  it('parses bucket and object', () => {
    expect(parseGcsUri('gs://bkt/data/a.png')).toEqual({ bucket: 'bkt', object: 'data/a.png' });
  });

  it('refuses . and .. segments, which every local mapping would resolve', () => {
    expect(() => parseGcsUri('gs://bkt/data/../../x.png')).toThrow(PathEscapeError);
    expect(() => parseGcsUri('gs://bkt/./x.png')).toThrow("Cloud Storage URI 'gs://bkt/./x.png' has a '.' segment");
  });

  it('a manifest-relative reference with .. is resolved inside the bucket, then accepted', () => {
    expect(resolveGcsReference('../img/a.png', 'gs://bkt/set/manifest.csv')).toBe('gs://bkt/img/a.png');
  });
});
