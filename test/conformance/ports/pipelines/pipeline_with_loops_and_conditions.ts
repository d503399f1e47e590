import { If, ParallelFor, pipeline, t, type ParameterChannel } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

type Args = { A_a: string; B_b: string[] };

/**
 * The reference passes whole loop items and list-valued item fields to a `str` input (KFP does not
 * type-check them); in TypeScript that takes an explicit cast.
 */
const asText = (channel: ParameterChannel<any, any>) => channel as unknown as ParameterChannel<'STRING', string>;

const argsGeneratorOp = pythonFunctionComponent({
  name: 'args_generator_op',
  outputs: { Output: t.list<Args>() },
  functionName: 'args_generator_op',
  source:
    "\ndef args_generator_op() -> list:\n    return [\n        {\n            'A_a': '1',\n            'B_b': ['2', '20'],\n        },\n        {\n            'A_a': '10',\n            'B_b': ['22', '222'],\n        },\n    ]\n\n",
});

const flipCoinOp = pythonFunctionComponent({
  name: 'flip_coin_op',
  outputs: { Output: t.string() },
  functionName: 'flip_coin_op',
  source:
    '\ndef flip_coin_op() -> str:\n    """Flip a coin and output heads or tails randomly."""\n    import random\n    result = \'heads\' if random.randint(0, 1) == 0 else \'tails\'\n    return result\n\n',
});

const printStruct = pythonFunctionComponent({
  name: 'print_struct',
  inputs: { struct: t.struct() },
  functionName: 'print_struct',
  source: '\ndef print_struct(struct: dict):\n    print(struct)\n\n',
});

const printText = pythonFunctionComponent({
  name: 'print_text',
  inputs: { msg: t.string(), msg2: t.string({ optional: true }) },
  functionName: 'print_text',
  source: "\ndef print_text(msg: str, msg2: Optional[str] = None):\n    print(f'msg: {msg}, msg2: {msg2}')\n\n",
});

export default pipeline(
  {
    name: 'pipeline-with-loops-and-conditions-multi-layers',
    params: {
      msg: t.string({ default: 'hello' }),
      loop_parameter: t.list<Args>({
        default: [
          { A_a: 'heads', B_b: ['A', 'B'] },
          { A_a: 'tails', B_b: ['X', 'Y', 'Z'] },
        ],
      }),
    },
  },
  ({ msg, loop_parameter }) => {
    const flip = flipCoinOp();
    const args = argsGeneratorOp();

    If(flip.outputs.Output.ne('no-such-result'), () => {
      const args2 = argsGeneratorOp();

      ParallelFor(args.outputs.Output, (item) => {
        printText({ msg });

        If(item.fields.A_a.eq('heads'), () => {
          printText({ msg: asText(item.fields.B_b) });
        });

        If(flip.outputs.Output.eq('heads'), () => {
          printText({ msg: asText(item.fields.B_b) });
        });

        If(item.fields.A_a.eq('tails'), () => {
          ParallelFor([{ a: '-1' }, { a: '-2' }], (struct) => {
            printStruct({ struct });
          });
        });

        ParallelFor(item.fields.B_b, (b) => {
          printText({ msg: b });
        });

        ParallelFor(loop_parameter, (param) => {
          printText({ msg: asText(param) });
          ParallelFor(args2.outputs.Output, (item2) => {
            printText({ msg: asText(param), msg2: item2.fields.A_a });
          });
        });

        ParallelFor(['1', '2'], (value) => {
          printText({ msg: value });
          If(value.eq('1'), () => {
            printText({ msg: '1' });
          });
        });
      });
    });

    ParallelFor(loop_parameter, (item) => {
      If(item.fields.A_a.eq('heads'), () => {
        ParallelFor(item.fields.B_b, (b) => {
          printText({ msg: b });
        });
      });
    });
  },
);
