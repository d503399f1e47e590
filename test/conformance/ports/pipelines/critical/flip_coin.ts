import { If, fmt, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const flipCoin = pythonFunctionComponent({
  name: 'flip_coin',
  outputs: { Output: t.string() },
  functionName: 'flip_coin',
  source:
    '\ndef flip_coin() -> str:\n    """Flip a coin and output heads or tails randomly."""\n    import random  # noqa: PLC0415\n\n    result = "heads" if random.randint(0, 1) == 0 else "tails"\n    print(result)\n    return result\n\n',
});

const randomNum = pythonFunctionComponent({
  name: 'random_num',
  inputs: { low: t.int(), high: t.int() },
  outputs: { Output: t.int() },
  functionName: 'random_num',
  source:
    '\ndef random_num(low: int, high: int) -> int:\n    """Generate a random number between low and high."""\n    import random  # noqa: PLC0415\n\n    result = random.randint(low, high)\n    print(result)\n    return result\n\n',
});

const printMsg = pythonFunctionComponent({
  name: 'print_msg',
  inputs: { msg: t.string() },
  functionName: 'print_msg',
  source: '\ndef print_msg(msg: str):\n    """Print a message."""\n    print(msg)\n\n',
});

export default pipeline({ name: 'conditional-execution-pipeline', description: 'Shows how to use dsl.If().' }, () => {
  const flip = flipCoin({}).setCaching(false);
  If(flip.outputs.Output.eq('heads'), () => {
    const num = randomNum({ low: 0, high: 9 }).setCaching(false);
    If(num.outputs.Output.gt(5), () => {
      printMsg({ msg: fmt`heads and ${num.outputs.Output} > 5!` }).setCaching(false);
    });
    If(num.outputs.Output.le(5), () => {
      printMsg({ msg: fmt`heads and ${num.outputs.Output} <= 5!` }).setCaching(false);
    });
  });
  If(flip.outputs.Output.eq('tails'), () => {
    const num = randomNum({ low: 10, high: 19 }).setCaching(false);
    If(num.outputs.Output.gt(15), () => {
      printMsg({ msg: fmt`tails and ${num.outputs.Output} > 15!` }).setCaching(false);
    });
    If(num.outputs.Output.le(15), () => {
      printMsg({ msg: fmt`tails and ${num.outputs.Output} <= 15!` }).setCaching(false);
    });
  });
});
