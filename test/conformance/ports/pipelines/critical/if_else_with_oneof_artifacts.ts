import { Artifact, If, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const flipCoin = pythonFunctionComponent({
  name: 'flip_coin',
  outputs: { Output: t.string() },
  functionName: 'flip_coin',
  source: "\ndef flip_coin() -> str:\n    return 'heads'\n\n",
});

const paramToArtifact = pythonFunctionComponent({
  name: 'param_to_artifact',
  inputs: { val: t.string() },
  outputs: { a: Artifact },
  functionName: 'param_to_artifact',
  source: "\ndef param_to_artifact(val: str, a: Output[Artifact]):\n    with open(a.path, 'w') as f:\n        f.write(val)\n\n",
});

const printArtifact = pythonFunctionComponent({
  name: 'print_artifact',
  inputs: { a: Artifact },
  functionName: 'print_artifact',
  source: '\ndef print_artifact(a: Input[Artifact]):\n    with open(a.path) as f:\n        print(f.read())\n\n',
});

const flipCoinPipeline = pipeline({ name: 'flip_coin_pipeline' }, () => {
  const flip = flipCoin({});
  const branches = If(flip.outputs.Output.eq('heads'), () => ({ a: paramToArtifact({ val: flip.outputs.Output }).outputs.a })).Else(() => ({
    a: paramToArtifact({ val: flip.outputs.Output }).outputs.a,
  }));
  printArtifact({ a: branches.outputs.a });
  return { Output: branches.outputs.a };
});

export default pipeline({ name: 'outer-pipeline' }, () => {
  const flip = flipCoinPipeline({});
  printArtifact({ a: flip.outputs.Output });
});
