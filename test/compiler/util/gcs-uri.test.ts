import { PathEscapeError } from '../../../compiler/util/contained-path';
import { GcsUriError, bucketProblem, gcsUriProblem, isGcsUri, parseGcsUri } from '../../../compiler/util/gcs-uri';

describe('parseGcsUri', () => {
  it('splits bucket and object', () => {
    expect(parseGcsUri('gs://bkt/data/a.png')).toEqual({ bucket: 'bkt', object: 'data/a.png' });
    expect(parseGcsUri('gs://bkt/prefix/', 'root', 'bucket')).toEqual({ bucket: 'bkt', object: 'prefix/' });
  });

  it('takes the bucket alone where a bucket is enough', () => {
    expect(parseGcsUri('gs://bkt', 'pipeline root', 'bucket')).toEqual({ bucket: 'bkt', object: '' });
    expect(parseGcsUri('gs://bkt/', 'pipeline root', 'bucket')).toEqual({ bucket: 'bkt', object: '' });
  });

  it('refuses a URI without an object where an object is needed, naming what it is', () => {
    for (const uri of ['gs://bkt', 'gs://bkt/']) {
      expect(() => parseGcsUri(uri, 'manifest')).toThrow(
        new GcsUriError(`manifest '${uri}' names no object: expected gs://BUCKET/OBJECT, e.g. gs://my-bucket/data/manifest.csv.`),
      );
    }
  });

  it('refuses other schemes, with a hint for the /gcs/ mount path and a missing slash', () => {
    expect(() => parseGcsUri('s3://bkt/a')).toThrow(
      "Cloud Storage URI 's3://bkt/a' is not a Cloud Storage URI: expected gs://BUCKET/PATH.",
    );
    expect(() => parseGcsUri('/gcs/bkt/a', 'root')).toThrow("root '/gcs/bkt/a' is not a Cloud Storage URI (write gs://bkt/a)");
    expect(() => parseGcsUri('gs:/bkt/a', 'root')).toThrow('(it needs two slashes: gs://)');
  });

  it('refuses a URI that names no bucket, or has a line break', () => {
    for (const uri of ['gs://', 'gs:///a']) expect(() => parseGcsUri(uri, 'root', 'bucket')).toThrow(`root '${uri}' names no bucket`);
    expect(() => parseGcsUri('gs://bkt/a\nb')).toThrow(GcsUriError);
  });

  it("refuses '.' and '..' segments as path escapes, but not dots inside names", () => {
    expect(() => parseGcsUri('gs://bkt/a/../../x')).toThrow(PathEscapeError);
    expect(() => parseGcsUri('gs://bkt/./x')).toThrow("Cloud Storage URI 'gs://bkt/./x' has a '.' segment");
    expect(parseGcsUri('gs://bkt/a..b/.c/x.')).toEqual({ bucket: 'bkt', object: 'a..b/.c/x.' });
  });
});

describe('gcsUriProblem', () => {
  it('is undefined for a usable URI and the problem sentence otherwise', () => {
    expect(gcsUriProblem('gs://bkt/root', 'pipeline root')).toBeUndefined();
    expect(gcsUriProblem('gs://bkt/../x', 'pipeline root')).toMatch(/^pipeline root 'gs:\/\/bkt\/\.\.\/x' has a '\.\.' segment/);
    expect(gcsUriProblem('gs://bkt', 'model', 'object')).toMatch(/names no object/);
  });
});

describe('isGcsUri', () => {
  it('tells a gs:// URI from a path', () => {
    expect([isGcsUri('gs://b/x'), isGcsUri('/gcs/b/x'), isGcsUri('gs:/b')]).toEqual([true, false, false]);
  });
});

describe('bucketProblem', () => {
  it('applies the Cloud Storage naming rules', () => {
    expect(bucketProblem('my-bucket')).toBeUndefined();
    expect(bucketProblem('ab')).toMatch(/has 2 characters/);
    expect(bucketProblem('My_Bucket')).toMatch(/is not valid/);
    expect(bucketProblem('192.168.0.1')).toMatch(/IP address/);
    expect(bucketProblem('google-data')).toMatch(/may not start with 'goog' or contain 'google'/);
  });
});
