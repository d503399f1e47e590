import { If, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const flipCoinOp = pythonFunctionComponent({
  name: 'flip_coin_op',
  outputs: { Output: t.string() },
  functionName: 'flip_coin_op',
  source:
    '\ndef flip_coin_op() -> str:\n    """Flip a coin and output heads or tails randomly."""\n    import random\n    result = \'heads\' if random.randint(0, 1) == 0 else \'tails\'\n    return result\n\n',
});

const printOp = pythonFunctionComponent({
  name: 'print_op',
  inputs: { msg: t.string() },
  functionName: 'print_op',
  source: '\ndef print_op(msg: str):\n    """Print a message."""\n    print(msg)\n\n',
});

export default pipeline({ name: 'single-condition-pipeline', params: { text: t.string({ default: 'condition test' }) } }, ({ text }) => {
  const flip1 = flipCoinOp({}).setCaching(false);
  printOp({ msg: flip1.outputs.Output });
  If(flip1.outputs.Output.eq('heads'), () => {
    const flip2 = flipCoinOp({}).setCaching(false);
    printOp({ msg: flip2.outputs.Output });
    printOp({ msg: text });
  });
});
