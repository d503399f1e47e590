import { ParallelFor, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const argsGeneratorOp = pythonFunctionComponent({
  name: 'args_generator_op',
  outputs: { Output: t.list<{ A_a: string; B_b: string }>({ items: t.struct() }) },
  functionName: 'args_generator_op',
  source: "\ndef args_generator_op() -> List[Dict[str, str]]:\n    return [{'A_a': '1', 'B_b': '2'}, {'A_a': '10', 'B_b': '20'}]\n\n",
});

const printStruct = pythonFunctionComponent({
  name: 'print_struct',
  inputs: { struct: t.struct() },
  functionName: 'print_struct',
  source: '\ndef print_struct(struct: Dict):\n    print(struct)\n\n',
});

const printText = pythonFunctionComponent({
  name: 'print_text',
  inputs: { msg: t.string() },
  functionName: 'print_text',
  source: '\ndef print_text(msg: str):\n    print(msg)\n\n',
});

export default pipeline(
  { name: 'pipeline-with-loops', params: { loop_parameter: t.list<string>({ default: ['a', 'b'] }) } },
  ({ loop_parameter }) => {
    // Loop over a pipeline parameter.
    ParallelFor(loop_parameter, (item) => {
      printText({ msg: item });
    });

    // Loop over a task output.
    const generator = argsGeneratorOp();
    ParallelFor(generator.outputs.Output, (item) => {
      printStruct({ struct: item });
      printText({ msg: item.fields.A_a });
      printText({ msg: item.fields.B_b });
    });

    // Loop over a raw list of dicts.
    ParallelFor(
      [
        { A_a: '1', B_b: '2' },
        { A_a: '10', B_b: '20' },
      ],
      (item) => {
        printStruct({ struct: item });
        printText({ msg: item.fields.A_a });
        printText({ msg: item.fields.B_b });
      },
    );
  },
);
