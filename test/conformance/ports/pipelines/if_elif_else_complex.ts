import { If, ParallelFor, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const int0To9999 = pythonFunctionComponent({
  name: 'int_0_to_9999',
  outputs: { Output: t.int() },
  functionName: 'int_0_to_9999',
  source: '\ndef int_0_to_9999() -> int:\n    import random\n    return random.randint(0, 9999)\n\n',
});

const isEvenOrOdd = pythonFunctionComponent({
  name: 'is_even_or_odd',
  inputs: { num: t.int() },
  outputs: { Output: t.string() },
  functionName: 'is_even_or_odd',
  source: "\ndef is_even_or_odd(num: int) -> str:\n    return 'odd' if num % 2 else 'even'\n\n",
});

const printAndReturn = pythonFunctionComponent({
  name: 'print_and_return',
  inputs: { text: t.string() },
  outputs: { Output: t.string() },
  functionName: 'print_and_return',
  source: '\ndef print_and_return(text: str) -> str:\n    print(text)\n    return text\n\n',
});

const printInts = pythonFunctionComponent({
  name: 'print_ints',
  inputs: { ints: t.list() },
  functionName: 'print_ints',
  source: '\ndef print_ints(ints: List[int]):\n    print(ints)\n\n',
});

export default pipeline(
  {
    name: 'lucky-number-pipeline',
    params: {
      add_drumroll: t.bool({ default: true }),
      repeat_if_lucky_number: t.bool({ default: true }),
      trials: t.list<number>({ default: [1, 2, 3], items: t.int() }),
    },
  },
  ({ add_drumroll, repeat_if_lucky_number, trials }) => {
    const loop = ParallelFor(trials, (trial) => {
      If(add_drumroll.eq(true), () => {
        If(trial.eq(3), () => {
          printAndReturn({ text: 'Adding drumroll on last trial!' });
        });
      });

      const int = int0To9999().setCaching(false);
      const number = int.outputs.Output;

      If(number.lt(5000), () => {
        const evenOrOdd = isEvenOrOdd({ num: number });
        const branches = If(evenOrOdd.outputs.Output.eq('even'), () => {
          const task = printAndReturn({ text: 'Got a low even number!' });
          return { text: task.outputs.Output };
        }).Else(() => {
          const task = printAndReturn({ text: 'Got a low odd number!' });
          return { text: task.outputs.Output };
        });
        printAndReturn({ text: branches.outputs.text });
      })
        .Elif(number.gt(5000), () => {
          const evenOrOdd = isEvenOrOdd({ num: number });
          const branches = If(evenOrOdd.outputs.Output.eq('even'), () => {
            const task = printAndReturn({ text: 'Got a high even number!' });
            return { text: task.outputs.Output };
          }).Else(() => {
            const task = printAndReturn({ text: 'Got a high odd number!' });
            return { text: task.outputs.Output };
          });
          printAndReturn({ text: branches.outputs.text });
        })
        .Else(() => {
          printAndReturn({ text: 'Announcing: Got the lucky number 5000! A one in 10,000 chance.' });
          If(repeat_if_lucky_number.eq(true), () => {
            ParallelFor([1, 2], () => {
              printAndReturn({ text: 'Announcing again: Got the lucky number 5000! A one in 10,000 chance.' });
            });
          });
        });

      return { ints: number };
    });

    printInts({ ints: loop.outputs.ints });
  },
);
