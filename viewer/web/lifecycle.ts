/** What the current page must stop when the user navigates away (a run's live event stream). */
const cleanups: (() => void)[] = [];

export function onLeave(cleanup: () => void): void {
  cleanups.push(cleanup);
}

export function leavePage(): void {
  for (const cleanup of cleanups.splice(0)) cleanup();
}
