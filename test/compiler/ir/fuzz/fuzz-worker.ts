/**
 * The fuzz worker: a child process (started by run-fuzz.ts with the TypeScript require hook) that
 * validates one case file per message and replies with the result. A case that hangs or exhausts
 * memory kills only this process, which the parent notices and replaces.
 */
import { validateCase } from './validate-case';

process.on('message', (message: { id: number; file: string }) => {
  const result = validateCase(message.file);
  process.send!({ id: message.id, result });
});
