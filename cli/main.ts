import type { Command, CommandIo } from './sub-command';
import { commands } from './command-registry';
import { reportCommandError } from './report-command-error';

function processIo(): CommandIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true,
  };
}

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: kfp-ts <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'kfp-ts <command> --help' for a command's options.\n`;
}

export async function main(argv: readonly string[], io: CommandIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(overview());
    return name === undefined ? 2 : 0;
  }
  const command: Command | undefined = commands.find((c) => c.name === name)?.load();
  if (!command) {
    io.stderr(`kfp-ts: unknown command '${name}'.\n\n${overview()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // Read when an error is handled, not at load: stack traces of expected errors too, for an issue report.
    return reportCommandError(command, error, io, process.env['KFP_TS_DEBUG'] === '1');
  }
}
