import { pipeline } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

/**
 * The loader the KFP SDK puts before a function with a `dsl.EmbeddedInput` artifact: the archive
 * (a base64 gzip tarball, copied verbatim from the golden) is unpacked into a temporary directory.
 */
function embeddedArchivePrelude(archiveB64: string, assetFile?: string): string {
  return (
    `\n__KFP_EMBEDDED_ARCHIVE_B64 = '${archiveB64}'\n` +
    '\nimport base64 as __kfp_b64\nimport io as __kfp_io\nimport os as __kfp_os\nimport sys as __kfp_sys\nimport tarfile as __kfp_tarfile\nimport tempfile as __kfp_tempfile\n' +
    '\n# Extract embedded archive at import time to ensure sys.path and globals are set\n' +
    '__kfp_tmpdir = __kfp_tempfile.TemporaryDirectory()\n__KFP_EMBEDDED_ASSET_DIR = __kfp_tmpdir.name\n' +
    "try:\n    __kfp_bytes = __kfp_b64.b64decode(__KFP_EMBEDDED_ARCHIVE_B64.encode('ascii'))\n" +
    "    with __kfp_tarfile.open(fileobj=__kfp_io.BytesIO(__kfp_bytes), mode='r:gz') as __kfp_tar:\n" +
    '        __kfp_tar.extractall(path=__KFP_EMBEDDED_ASSET_DIR)\n' +
    "except Exception as __kfp_e:\n    raise RuntimeError(f'Failed to extract embedded archive: {__kfp_e}')\n" +
    '\n# Always prepend the extracted directory to sys.path for import resolution\n' +
    'if __KFP_EMBEDDED_ASSET_DIR not in __kfp_sys.path:\n    __kfp_sys.path.insert(0, __KFP_EMBEDDED_ASSET_DIR)\n' +
    (assetFile === undefined
      ? '\n\n\n'
      : `\n__KFP_EMBEDDED_ASSET_FILE = __kfp_os.path.join(__KFP_EMBEDDED_ASSET_DIR, '${assetFile}')\n\n\n\n`)
  );
}

const readEmbeddedArtifactDir = pythonFunctionComponent({
  name: 'read_embedded_artifact_dir',
  functionName: 'read_embedded_artifact_dir',
  source:
    embeddedArchivePrelude(
      'H4sIAKi9AmsC/+3VsQrCMBQF0Mx+Rdwlfa/JS3QQHDv6C4UWESqBWrGfr8VBRKtTi9p7loQkkCHcG5OYZLPN26zMi7JWg6CbvpHI2vu8W2dKmZVu1QhOxyavr9eraUqDPjT7Q7nmsBLrOFhvKDDZ1UzB/zPJ8Hd0oQ4i/fm/zlkskVjvpVsPQZzSMmb+6xibd+c+7f/s+39D/7vn/k/R/6P0//Jl/7PzKT6ACajizjTtsM3Whdo7159/lsf+Z2YrStOY+Z9o/2dlVcWFPse6KuaIAwAAAAAAAAAAAAAAAMBPuwCc/UxtACgAAA==',
    ) +
    '\ndef read_embedded_artifact_dir(artifact: dsl.EmbeddedInput[dsl.Dataset]):\n    import os\n\n    with open(os.path.join(artifact.path, "log.txt"), "r", encoding="utf-8") as f:\n        log = f.read()\n\n    assert log == "Hello, world!"\n\n',
});

const readEmbeddedArtifactFile = pythonFunctionComponent({
  name: 'read_embedded_artifact_file',
  functionName: 'read_embedded_artifact_file',
  source:
    embeddedArchivePrelude(
      'H4sIAKi9AmsC/+3TvQrCMBRA4cw+Rd2l5jY/1UFw7OgrFFpEaAnUiH18LQ5O1amF6vmWhJvhQuCk23R7PJV9UZdV3alJ6JexU2tj3/dhLjqTTCW9msHtGsvuuV79p2yXtPHS1gfJ985YyY1PdS5ifbZS+HlNOKexj5PuGKL21o73L06JM1o7470b+hcxTiV6zv67ED7+wrf3hSrqpgmb5B66plqTAwAAAAAAAAAAAAAAwOI8AHpVCpUAKAAA',
      'log.txt',
    ) +
    '\ndef read_embedded_artifact_file(artifact: dsl.EmbeddedInput[dsl.Dataset]):\n    with open(artifact.path, "r", encoding="utf-8") as f:\n        log = f.read()\n\n    assert log == "Hello, world!"\n\n',
});

export default pipeline({ name: 'nb-simple' }, () => {
  readEmbeddedArtifactDir({}).setCaching(false);
  readEmbeddedArtifactFile({}).setCaching(false);
});
