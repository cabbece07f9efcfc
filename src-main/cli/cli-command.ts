/** One `remote-assist <name> …` subcommand. */
export interface CliCommand {
  readonly name: string;
  /** One line for `remote-assist --help`. */
  readonly summary: string;
  /**
   * Runs with the arguments after the command name. Returns the exit code (0 ok, 1 failure the
   * command reports, 2 bad usage or malformed input), or null when it keeps running (a server).
   */
  run(argv: string[], io: CliIO): Promise<number | null>;
}

/** Where a command writes; tests pass buffers. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

export const processIO: CliIO = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  env: process.env,
};
