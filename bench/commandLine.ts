/** The benchmark's command-line arguments (after the script), as its recorded run quotes them. */
export const benchArgs: readonly string[] = process.argv.slice(2);

/** The value after `--<name>` on the command line, or `fallback` when the flag is absent. */
export function flag(name: string, fallback: string): string {
  const i = benchArgs.indexOf(`--${name}`);
  return i >= 0 && benchArgs[i + 1] !== undefined ? benchArgs[i + 1]! : fallback;
}

/** `flag` as a number. */
export function numberFlag(name: string, fallback: number): number {
  return Number(flag(name, String(fallback)));
}
