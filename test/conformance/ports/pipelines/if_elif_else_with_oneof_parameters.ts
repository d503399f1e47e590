import { If, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const flipThreeSidedDie = pythonFunctionComponent({
  name: 'flip_three_sided_die',
  outputs: { Output: t.string() },
  functionName: 'flip_three_sided_die',
  source:
    "\ndef flip_three_sided_die() -> str:\n    import random\n    val = random.randint(0, 2)\n\n    if val == 0:\n        return 'heads'\n    elif val == 1:\n        return 'tails'\n    else:\n        return 'draw'\n\n",
});

const printAndReturn = pythonFunctionComponent({
  name: 'print_and_return',
  inputs: { text: t.string() },
  outputs: { Output: t.string() },
  functionName: 'print_and_return',
  source: '\ndef print_and_return(text: str) -> str:\n    print(text)\n    return text\n\n',
});

const specialPrintAndReturn = pythonFunctionComponent({
  name: 'special_print_and_return',
  inputs: { text: t.string() },
  outputs: { output_key: t.string() },
  functionName: 'special_print_and_return',
  source:
    "\ndef special_print_and_return(text: str, output_key: dsl.OutputPath(str)):\n    print('Got the special state:', text)\n    with open(output_key, 'w') as f:\n        f.write(text)\n\n",
});

const rollDiePipeline = pipeline({ name: 'roll-die-pipeline' }, () => {
  const flip = flipThreeSidedDie();
  const branches = If(flip.outputs.Output.eq('heads'), () => {
    return { Output: printAndReturn({ text: 'Got heads!' }).outputs.Output };
  })
    .Elif(flip.outputs.Output.eq('tails'), () => {
      return { Output: printAndReturn({ text: 'Got tails!' }).outputs.Output };
    })
    .Else(() => {
      return { Output: specialPrintAndReturn({ text: 'Draw!' }).outputs.output_key };
    });
  return { Output: branches.outputs.Output };
});

export default pipeline({ name: 'outer-pipeline' }, () => {
  const rollDie = rollDiePipeline();
  const printed = printAndReturn({ text: rollDie.outputs.Output });
  return { Output: printed.outputs.Output };
});
