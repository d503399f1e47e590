import { Artifact, ParallelFor, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const writeArtifact = pythonFunctionComponent({
  name: 'write_artifact',
  inputs: { index: t.int() },
  outputs: { out: Artifact },
  functionName: 'write_artifact',
  source: "\ndef write_artifact(index: int, out: Output[Artifact]):\n    with open(out.path, 'w') as f:\n        f.write(str(index))\n\n",
});

const readAndJoin = pythonFunctionComponent({
  name: 'read_and_join',
  inputs: { artifacts: t.artifactList(Artifact) },
  outputs: { Output: t.string() },
  functionName: 'read_and_join',
  source:
    "\ndef read_and_join(artifacts: List[Artifact]) -> str:\n    parts = []\n    for artifact in artifacts:\n        with open(artifact.path) as f:\n            parts.append(f.read().strip())\n    return ','.join(sorted(parts))\n\n",
});

export default pipeline({ name: 'pipeline-with-collected-artifacts' }, () => {
  const loop = ParallelFor([0, 1, 2], (index) => {
    return { out: writeArtifact({ index }).outputs.out };
  });
  const joined = readAndJoin({ artifacts: loop.outputs.out });
  return { Output: joined.outputs.Output };
});
