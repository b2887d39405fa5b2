import { createHash, createHmac, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const CACHE_LIMIT = 200_000;

/**
 * `student_key`: hex HMAC-SHA-256 of `student_id` under the secret. A stable pseudonym that cannot be reversed
 * or recomputed without the secret. Memoised (students recur in every item of an attempt), bounded.
 */
export function studentKeyFunction(secret: Buffer): (studentId: string) => string {
  if (secret.length < 32) throw new Error('The student key secret must be at least 32 bytes.');
  const cache = new Map<string, string>();
  return (studentId) => {
    let key = cache.get(studentId);
    if (key === undefined) {
      key = createHmac('sha256', secret).update(studentId, 'utf8').digest('hex');
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(studentId, key);
    }
    return key;
  };
}

const BLOCK = 64;

/**
 * `studentKeyFunction` as a DuckDB expression over a VARCHAR column: HMAC-SHA-256 spelled out with `sha256` on
 * BLOBs, `sha256(opad || unhex(sha256(ipad || id)))`, where `$ipad` and `$opad` (BLOB parameters, from
 * `studentKeyPads`) are the secret padded to SHA-256's block and xor-ed with 0x36 and 0x5c (RFC 2104).
 */
export function studentKeySql(column: string): string {
  return `sha256($opad || unhex(sha256($ipad || encode(${column}))))`;
}

/** The inner and outer HMAC pads of the secret (the `$ipad` and `$opad` of `studentKeySql`). */
export function studentKeyPads(secret: Buffer): { readonly ipad: Buffer; readonly opad: Buffer } {
  if (secret.length < 32) throw new Error('The student key secret must be at least 32 bytes.');
  const key = secret.length > BLOCK ? createHash('sha256').update(secret).digest() : secret;
  const ipad = Buffer.alloc(BLOCK, 0x36);
  const opad = Buffer.alloc(BLOCK, 0x5c);
  for (let i = 0; i < key.length; i++) {
    ipad[i] = ipad[i]! ^ key[i]!;
    opad[i] = opad[i]! ^ key[i]!;
  }
  return { ipad, opad };
}

/** File name of the local secret under `<dataDir>/secrets/`. */
export const STUDENT_KEY_SECRET_FILE = 'student-key';

/**
 * The local stack's student-key secret: 32 random bytes generated once into `<dataDir>/secrets/student-key`
 * (mode 0600, never committed: the data dir is git-ignored), read back on every run. On AWS the Glue job reads
 * it from Secrets Manager instead.
 */
export async function localStudentKeySecret(dataDir: string): Promise<Buffer> {
  const dir = path.join(dataDir, 'secrets');
  const file = path.join(dir, STUDENT_KEY_SECRET_FILE);
  try {
    const text = (await readFile(file, 'utf8')).trim();
    return Buffer.from(text, 'hex');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  await chmod(file, 0o600);
  return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
}
