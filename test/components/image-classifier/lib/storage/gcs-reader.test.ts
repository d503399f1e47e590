import { GcsReader } from '../../../../../components/image-classifier/lib/storage/gcs-reader';
import { StorageAccessError, UnreadableFileError } from '../../../../../components/image-classifier/lib/storage/read-errors';
import { startFakeGcs, type FakeGcs } from '../../../../support/fake-gcs-server';

let server: FakeGcs;
beforeAll(async () => {
  server = await startFakeGcs({ latencyMs: 20 });
  server.put('gs://bucket/set/a b.png', 'bytes of a');
  server.put('gs://bucket/private.png', 'secret');
  server.forbid('gs://bucket/private.png');
  for (let i = 0; i < 12; i++) server.put(`gs://bucket/many/${i}.bin`, `object ${i}`);
});
afterAll(() => server.close());

const reader = (options: ConstructorParameters<typeof GcsReader>[0] = {}) =>
  new GcsReader({ ...options, storageOptions: { apiEndpoint: server.endpoint, ...options.storageOptions } });

/** Sets environment variables for one test and restores them after. */
async function withEnv(values: Record<string, string | undefined>, run: () => Promise<void>): Promise<void> {
  const saved = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(values);
  try {
    await run();
  } finally {
    apply(saved);
  }
}

describe('GcsReader against a fake Cloud Storage server', () => {
  it('downloads an object (name URL-encoded, hashes validated) and creates its client only then', async () => {
    const gcs = reader();
    expect(gcs.clientCreated).toBe(false);
    expect((await gcs.read('gs://bucket/set/a b.png')).toString()).toBe('bytes of a');
    expect(gcs.clientCreated).toBe(true);
    expect(server.requests).toContain('GET /storage/v1/b/bucket/o/set%2Fa%20b.png?alt=media');
  });

  it('reports a missing and a forbidden object as unreadable files, with the server message', async () => {
    const gcs = reader();
    await expect(gcs.read('gs://bucket/nope.png')).rejects.toThrow(
      new UnreadableFileError(
        'missing',
        'gs://bucket/nope.png does not exist (Cloud Storage: No such object: bucket/nope.png); check the bucket and object name, they are case-sensitive',
      ),
    );
    await expect(gcs.read('gs://bucket/private.png')).rejects.toMatchObject({ name: 'UnreadableFileError', reason: 'forbidden' });
    await expect(gcs.read('gs://bucket/private.png')).rejects.toThrow(
      /^gs:\/\/bucket\/private\.png cannot be read: permission denied \(Cloud Storage: .*storage\.objects\.get.*\); give the account running the step roles\/storage\.objectViewer/,
    );
  });

  it('keeps at most downloadConcurrency downloads in flight, and does use that many', async () => {
    const before = server.maxInFlight;
    expect(before).toBeLessThanOrEqual(2);
    const gcs = reader({ downloadConcurrency: 3 });
    const bytes = await Promise.all(Array.from({ length: 12 }, (_, i) => gcs.read(`gs://bucket/many/${i}.bin`)));
    expect(bytes.map(String)).toEqual(Array.from({ length: 12 }, (_, i) => `object ${i}`));
    expect(server.maxInFlight).toBe(3);
  });

  it('stops with what to fix when the credentials are rejected', async () => {
    const strict = await startFakeGcs({ requiredToken: 'valid-token' });
    try {
      strict.put('gs://bucket/a.png', 'x');
      const read = new GcsReader({ storageOptions: { apiEndpoint: strict.endpoint } }).read('gs://bucket/a.png');
      await expect(read).rejects.toThrow(StorageAccessError);
      await expect(read).rejects.toThrow(
        /rejected the credentials while reading gs:\/\/bucket\/a\.png \(401: .*\); set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file/,
      );
    } finally {
      await strict.close();
    }
  });

  it('stops with what to fix when the endpoint does not answer or the key file is missing', async () => {
    // The client retries a refused connection for about 16 s first; the test needs only the last answer.
    const unreachable = new GcsReader({ storageOptions: { apiEndpoint: 'http://127.0.0.1:1', retryOptions: { autoRetry: false } } }).read(
      'gs://bucket/a.png',
    );
    await expect(unreachable).rejects.toThrow(
      /^Cannot reach Cloud Storage at http:\/\/127\.0\.0\.1:1 to read gs:\/\/bucket\/a\.png \(ECONNREFUSED: .*\); check the network, and STORAGE_EMULATOR_HOST/,
    );
    await withEnv({ GOOGLE_APPLICATION_CREDENTIALS: '/no/such/key.json', STORAGE_EMULATOR_HOST: undefined }, async () => {
      const read = new GcsReader().read('gs://bucket/a.png');
      await expect(read).rejects.toThrow(StorageAccessError);
      await expect(read).rejects.toThrow(
        /^Cannot authenticate to Cloud Storage to read gs:\/\/bucket\/a\.png \(.*\); set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file \(it is now \/no\/such\/key\.json: check that this key file exists/,
      );
    });
  });

  it('follows STORAGE_EMULATOR_HOST when no endpoint is given', async () => {
    await withEnv({ STORAGE_EMULATOR_HOST: server.endpoint }, async () => {
      expect((await new GcsReader().read('gs://bucket/set/a b.png')).toString()).toBe('bytes of a');
    });
  });
});
