import { localModelFolder } from '../../../../components/image-classifier/prediction-server/model-folder';

it('refuses an AIP_STORAGE_URI with .. segments before contacting Cloud Storage', async () => {
  await expect(localModelFolder('gs://bkt/models/../../other')).rejects.toThrow(
    "AIP_STORAGE_URI 'gs://bkt/models/../../other' has a '..' segment; Cloud Storage paths are not resolved",
  );
});
