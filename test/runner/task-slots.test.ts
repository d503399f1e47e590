import { TaskSlots } from '../../runner/task-slots';

describe('TaskSlots', () => {
  it('starts at most `limit` at once, in the order asked, the next as each releases', () => {
    const slots = new TaskSlots(2);
    const started: number[] = [];
    for (let i = 0; i < 5; i++) slots.whenFree(() => started.push(i));
    expect(started).toEqual([0, 1]);
    expect(slots.waiting).toBe(3);
    expect(slots.full).toBe(true);
    slots.release();
    expect(started).toEqual([0, 1, 2]);
    slots.release();
    slots.release();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(slots.waiting).toBe(0);
  });

  it('drains a long queue of tasks that give their slot back at once without recursing', () => {
    const slots = new TaskSlots(1);
    slots.whenFree(() => undefined); // holds the only slot
    let ran = 0;
    for (let i = 0; i < 100_000; i++) {
      slots.whenFree(() => {
        ran++;
        slots.release();
      });
    }
    expect(ran).toBe(0);
    slots.release();
    expect(ran).toBe(100_000);
    expect(slots.full).toBe(false);
  });

  it('gives a slot to an awaiting caller', async () => {
    const slots = new TaskSlots(1);
    slots.whenFree(() => undefined);
    let got = false;
    const waiting = slots.acquire().then(() => (got = true));
    await Promise.resolve();
    expect(got).toBe(false);
    slots.release();
    await waiting;
    expect(got).toBe(true);
  });

  it('refuses a release with no slot held and a limit below 1', () => {
    expect(() => new TaskSlots(0)).toThrow(/whole number >= 1/);
    expect(() => new TaskSlots(1).release()).toThrow(/no slot held/);
  });
});
