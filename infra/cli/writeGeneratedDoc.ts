import { readFile, rename, writeFile } from 'node:fs/promises';

/** Prints a generated document, rewrites it atomically (`write`), or fails when the file differs (`check`). */
export async function writeGeneratedDoc(
  target: string,
  text: string,
  options: { write?: boolean; check?: boolean; name: string; command: string },
): Promise<void> {
  if (options.check) {
    const current = await readFile(target, 'utf8').catch(() => '');
    if (current !== text) throw new Error(`${options.name} is out of date: run ${options.command}`);
    console.log(`${options.name} is up to date.`);
  } else if (options.write) {
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, text);
    await rename(temp, target);
    console.log(`Wrote ${options.name}.`);
  } else {
    process.stdout.write(text);
  }
}
