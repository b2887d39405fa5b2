import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { OutputExistsError } from './errors';

/**
 * The generator's output, staged in a sibling directory and moved into place in one rename when complete, so an
 * interrupted or failed run leaves no partial output behind (and never a mix of two runs).
 */
export class OutputDirectory {
  private constructor(
    readonly target: string,
    readonly staging: string,
    private readonly replace: boolean,
  ) {}

  /**
   * Checks the target can be written (absent, empty, or `replace`) and creates the staging directory.
   * @throws OutputExistsError when the target holds files and `replace` is false
   */
  static async prepare(target: string, options: { replace: boolean }): Promise<OutputDirectory> {
    const absolute = path.resolve(target);
    if (!options.replace && (await entries(absolute)).length > 0) {
      throw new OutputExistsError(
        `Output directory ${target} is not empty. Choose another --out, or pass --force to replace its contents.`,
      );
    }
    const staging = `${absolute}.partial-${process.pid}-${Date.now().toString(36)}`;
    await mkdir(staging, { recursive: true });
    return new OutputDirectory(absolute, staging, options.replace);
  }

  /** Absolute staging path of a file, creating its directory. */
  async file(relative: string): Promise<string> {
    const full = path.join(this.staging, relative);
    await mkdir(path.dirname(full), { recursive: true });
    return full;
  }

  /** Moves the staged output into place, replacing an earlier output only if allowed. */
  async commit(): Promise<void> {
    const existing = await stat(this.target).catch(() => undefined);
    let old: string | undefined;
    if (existing) {
      if (!this.replace && (await entries(this.target)).length > 0) {
        throw new OutputExistsError(
          `Output directory ${this.target} was filled while generating; output left in ${this.staging}.`,
        );
      }
      old = `${this.staging}.old`;
      await rename(this.target, old);
    }
    await rename(this.staging, this.target);
    if (old) await rm(old, { recursive: true, force: true });
  }

  async discard(): Promise<void> {
    await rm(this.staging, { recursive: true, force: true });
  }
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR')
      throw new OutputExistsError(`${dir} is a file, not a directory.`);
    throw err;
  }
}
