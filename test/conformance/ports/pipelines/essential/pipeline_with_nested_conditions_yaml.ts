import { If, containerComponent, fmt, pipeline, t } from '../../../../../compiler';

const flipCoin = containerComponent({
  name: 'flip-coin',
  outputs: { output: t.string() },
  image: 'python:alpine3.9',
  command: ['sh', '-c'],
  args: ({ outputs }) => [
    "mkdir -p \"$(dirname $0)\" && python -c \"import random; result = 'heads' if random.randint(0,1) == 0 else 'tails'; print(result, end='')\" | tee $0",
    outputs.output.path,
  ],
});

const generateRandomNumber = (low: number, high: number) =>
  containerComponent({
    name: 'generate-random-number',
    outputs: { output: t.int() },
    image: 'python:alpine3.9',
    command: ['sh', '-c'],
    args: ({ outputs }) => [
      'mkdir -p "$(dirname $2)" && python -c "import random; print(random.randint($0, $1), end=\'\')" | tee $2',
      String(low),
      String(high),
      outputs.output.path,
    ],
  });

const print = containerComponent({
  name: 'print',
  inputs: { msg: t.string() },
  image: 'python:alpine3.9',
  command: ({ inputs }) => ['echo', inputs.msg],
});

export default pipeline(
  {
    name: 'conditional-execution-pipeline',
    displayName: 'Conditional execution pipeline.',
    description: 'Shows how to use dsl.Condition().',
  },
  () => {
    const flip = flipCoin({});
    If(flip.outputs.output.eq('heads'), () => {
      const random = generateRandomNumber(0, 9)({});
      If(random.outputs.output.gt(5), () => {
        print({ msg: fmt`heads and ${random.outputs.output} > 5!` });
      });
      If(random.outputs.output.le(5), () => {
        print({ msg: fmt`heads and ${random.outputs.output} <= 5!` });
      });
    });
    If(flip.outputs.output.eq('tails'), () => {
      const random = generateRandomNumber(10, 19)({});
      If(random.outputs.output.gt(15), () => {
        print({ msg: fmt`tails and ${random.outputs.output} > 15!` });
      });
      If(random.outputs.output.le(15), () => {
        print({ msg: fmt`tails and ${random.outputs.output} <= 15!` });
      });
    });
  },
);
