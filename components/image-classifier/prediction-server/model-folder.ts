/**
 * The local folder of the model the classifier server serves (its AIP_STORAGE_URI): a path as is, or, for the
 * `gs://…` URI Vertex passes a custom serving container in AIP_STORAGE_URI, a copy of every object
 * under that prefix downloaded once at start-up (Vertex does not mount the bucket).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { containedChild } from '../../../compiler/util/contained-path';
import { isGcsUri, parseGcsUri } from '../../../compiler/util/gcs-uri';

export async function localModelFolder(uri: string, log: (line: string) => void = () => undefined): Promise<string> {
  if (!isGcsUri(uri)) {
    if (!fs.existsSync(uri))
      throw new Error(`model folder ${uri} does not exist; pass the folder of a serving bundle (it holds serving.json).`);
    return uri;
  }
  const { bucket: bucketName, object } = parseGcsUri(uri, 'AIP_STORAGE_URI', 'bucket');
  const prefix = object.replace(/\/?$/, '/').replace(/^\/$/, '');
  const { Storage } = await import('@google-cloud/storage');
  const [files] = await new Storage().bucket(bucketName).getFiles({ prefix });
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-model-'));
  let count = 0;
  for (const file of files) {
    const relative = file.name.slice(prefix.length);
    if (relative === '' || relative.endsWith('/')) continue;
    // Object names are free text: '../' in one must not write outside the download folder.
    const destination = containedChild(target, relative, `object gs://${bucketName}/${file.name}: its name after the prefix`);
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    await file.download({ destination });
    count++;
  }
  if (count === 0) throw new Error(`no objects under ${uri}; AIP_STORAGE_URI must name the uploaded model's artifact folder.`);
  log(`downloaded ${count} files of ${uri} to ${target}`);
  return target;
}
