// The shipped rule pack: the *.yml files beside this one (the build copies them next to the
// compiled code).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const PACK_DIR = __dirname;

export interface PackFile {
  file: string;
  yaml: string;
  /** sha256 of the file's text: the pack re-applies a rule only when its file changed. */
  hash: string;
}

export function readPack(dir: string = PACK_DIR): PackFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((file) => {
      const yaml = fs.readFileSync(path.join(dir, file), 'utf8');
      return { file, yaml, hash: createHash('sha256').update(yaml).digest('hex') };
    });
}
