/**
 * Where evidence bytes live: content-addressed by SHA-256, outside any served folder, behind an
 * interface so an S3-compatible store can replace the local disk without touching callers.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createHash, randomBytes } from 'node:crypto';

export interface EvidenceStore {
  /** Stores the bytes under their hash; storing the same content twice is harmless. */
  put(sha256: string, bytes: Buffer): Promise<void>;
  /** Stores a stream's bytes as they pass (never whole in memory) under the hash they turn out to have. */
  putStream(bytes: Readable): Promise<{ sha256: string; size: number }>;
  /** The bytes, or null when nothing is stored under this hash. */
  open(sha256: string): Promise<Readable | null>;
}

const SHA256 = /^[0-9a-f]{64}$/;

export class LocalDiskStore implements EvidenceStore {
  constructor(private readonly root: string) {}

  private pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error('not a SHA-256 hex digest');
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(sha256: string, bytes: Buffer): Promise<void> {
    const path = this.pathOf(sha256);
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (exists) return;
    await mkdir(join(path, '..'), { recursive: true });
    // Written aside and renamed: a reader never sees half a file.
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temp, bytes, { mode: 0o640 });
    await rename(temp, path);
  }

  async putStream(bytes: Readable): Promise<{ sha256: string; size: number }> {
    const incoming = join(this.root, 'incoming');
    await mkdir(incoming, { recursive: true });
    const temp = join(incoming, `${randomBytes(8).toString('hex')}.tmp`);
    const hash = createHash('sha256');
    let size = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(bytes, counted, createWriteStream(temp, { mode: 0o640 }));
      const sha256 = hash.digest('hex');
      const path = this.pathOf(sha256);
      await mkdir(join(path, '..'), { recursive: true });
      // Renamed into place whole: a reader never sees half a file (the same content twice lands the same).
      await rename(temp, path);
      return { sha256, size };
    } finally {
      await rm(temp, { force: true });
    }
  }

  async open(sha256: string): Promise<Readable | null> {
    const path = this.pathOf(sha256);
    try {
      await stat(path);
    } catch {
      return null;
    }
    return createReadStream(path);
  }
}
