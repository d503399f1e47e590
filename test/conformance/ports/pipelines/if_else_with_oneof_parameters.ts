import { If, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const flipCoin = pythonFunctionComponent({
  name: 'flip_coin',
  outputs: { Output: t.string() },
  functionName: 'flip_coin',
  source: "\ndef flip_coin() -> str:\n    import random\n    return 'heads' if random.randint(0, 1) == 0 else 'tails'\n\n",
});

const printAndReturn = pythonFunctionComponent({
  name: 'print_and_return',
  inputs: { text: t.string() },
  outputs: { Output: t.string() },
  functionName: 'print_and_return',
  source: '\ndef print_and_return(text: str) -> str:\n    print(text)\n    return text\n\n',
});

export default pipeline({ name: 'flip-coin-pipeline' }, () => {
  const flip = flipCoin();
  const branches = If(flip.outputs.Output.eq('heads'), () => {
    return { Output: printAndReturn({ text: 'Got heads!' }).outputs.Output };
  }).Else(() => {
    return { Output: printAndReturn({ text: 'Got tails!' }).outputs.Output };
  });
  printAndReturn({ text: branches.outputs.Output });
  return { Output: branches.outputs.Output };
});
