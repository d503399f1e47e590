import * as path from 'node:path';
import { KfpTsError } from '../../../compiler/errors/kfp-ts-error';
import { PathEscapeError, containedPath, isInside, pathSegmentFor } from '../../../compiler/util/contained-path';
import { gcsDotSegmentProblem } from '../../../compiler/util/gcs-uri';
import { gcsUriLocalPath } from '../../../compiler/util/gcs-uri-path';
import { isLoopbackHost } from '../../../compiler/util/loopback-host';

const root = path.resolve('/tmp/kfp-ts-root');

describe('containedPath', () => {
  it('resolves names below the root', () => {
    expect(containedPath(root, ['a', 'b'], 'x')).toBe(path.join(root, 'a', 'b'));
    expect(containedPath(root, 'a/../b', 'x')).toBe(path.join(root, 'b'));
    expect(containedPath(`${root}/`, '.', 'x')).toBe(root);
  });

  it.each([['..'], ['../sibling'], ['a/../../b'], ['/etc/passwd']])('refuses %s, naming what it was and where it led', (name) => {
    let error: unknown;
    try {
      containedPath(root, name, 'output key');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PathEscapeError);
    expect(error).toBeInstanceOf(KfpTsError);
    expect((error as Error).message).toMatch(
      new RegExp(`^output key '${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}' leads outside ${root.replace(/\//g, '\\/')} \\(to `),
    );
  });

  it('refuses a sibling folder that shares the root as a prefix', () => {
    expect(() => containedPath(root, '../kfp-ts-root-other/x', 'name')).toThrow(PathEscapeError);
    expect(isInside(root, `${root}-other`)).toBe(false);
    expect(isInside(root, root)).toBe(true);
  });

  it('refuses NUL bytes with a message, not an fs error', () => {
    expect(() => containedPath(root, 'a\0b', 'file name')).toThrow(/^file name 'a\\0b' contains a NUL byte/);
  });
});

describe('pathSegmentFor', () => {
  it('leaves KFP-compiled names as they are and sanitises the rest as KFP does', () => {
    expect(pathSegmentFor('train-model-2', 'task')).toBe('train-model-2');
    expect(pathSegmentFor('../../etc', 'task')).toBe('etc');
    expect(pathSegmentFor('My Pipeline/v1.2', 'pipeline')).toBe('my-pipeline-v1-2');
  });

  it('refuses a name with nothing left', () => {
    expect(() => pathSegmentFor('..', 'pipeline name (pipelineInfo.name)')).toThrow(
      /^pipeline name \(pipelineInfo\.name\) '\.\.' has no letter or digit/,
    );
  });
});

describe('gs:// dot segments', () => {
  it.each(['gs://b/../x', 'gs://bkt/a/./b', 'gs://../x', 'gs://bkt/..'])('%s is a problem', (uri) => {
    expect(gcsDotSegmentProblem(uri, 'pipeline root')).toMatch(
      /^pipeline root 'gs:\/\/.*' has a '\.\.?' segment; Cloud Storage paths are not resolved/,
    );
  });

  it('plain URIs and names that merely contain dots are fine', () => {
    expect(gcsDotSegmentProblem('gs://bkt/a..b/.c/x.', 'p')).toBeUndefined();
  });

  it('maps a URI below the gcs folder and refuses escapes', () => {
    expect(gcsUriLocalPath('gs://bkt/a/b', root)).toBe(path.join(root, 'bkt', 'a', 'b'));
    expect(() => gcsUriLocalPath('gs://bkt/../../../etc', root)).toThrow(PathEscapeError);
    expect(() => gcsUriLocalPath('gs://bkt/%2e%2e', root)).not.toThrow();
    expect(() => gcsUriLocalPath('s3://bkt/a', root)).toThrow(/is not a Cloud Storage URI/);
  });
});

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.255.3.4', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'])(
    '%s is loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    },
  );

  it.each([
    '127.evil.com',
    'localhost.evil.com',
    '127.0.0.1.nip.io',
    '0.0.0.0',
    '::',
    '10.0.0.1',
    '128.0.0.1',
    '127.1',
    '::2',
    '::ffff:10.0.0.1',
    '',
  ])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});
