import { ParallelFor, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const printOp = pythonFunctionComponent({
  name: 'print_op',
  inputs: { msg: t.string(), msg2: t.string({ optional: true }) },
  functionName: 'print_op',
  source: "\ndef print_op(msg: str, msg2: Optional[str] = None):\n    print(f'msg: {msg}, msg2: {msg2}')\n\n",
});

type Param = { p_a: { q_a: string }[]; p_b: string };

export default pipeline(
  {
    name: 'pipeline-with-nested-loops',
    params: {
      loop_parameter: t.list<Param>({
        default: [
          { p_a: [{ q_a: '1' }, { q_a: '2' }], p_b: 'hello' },
          { p_a: [{ q_a: '11' }, { q_a: '22' }], p_b: 'halo' },
        ],
      }),
    },
  },
  ({ loop_parameter }) => {
    // Nested loop with the same value.
    ParallelFor(loop_parameter, (item) => {
      ParallelFor(item.fields.p_a, (itemP) => {
        printOp({ msg: itemP.fields.q_a });
      });
    });

    // Nested loop over raw lists.
    ParallelFor(['1', '2'], (outer) => {
      printOp({ msg: outer });
      ParallelFor(['100', '200', '300'], (inner) => {
        printOp({ msg: outer, msg2: inner });
      });
    });
  },
);
