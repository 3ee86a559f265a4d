import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboxSender } from '../../lambdas/adapters/local/outbox-sender';
import { createHasher } from '../../lambdas/engine/hasher';

const hasher = createHasher('outbox-test-secret');
const sms = (i: number) => ({
  tenant: 'acme',
  e164: `+4474001${String(i).padStart(5, '0')}`,
  masked: `+44 74** ***${String(i).padStart(3, '0').slice(-3)}`,
  body: `Your code is ${i}`,
});

let dir: string;
beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), 'sms-shield-outbox-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('OutboxSender', () => {
  it('writes every message of a burst as its own line, in a folder it creates, and only then answers', async () => {
    const file = join(dir, 'nested', 'outbox.jsonl');
    const outbox = new OutboxSender(hasher, { file });
    const ids = await Promise.all(Array.from({ length: 300 }, (_, i) => outbox.send(sms(i)).then((r) => r.messageId)));
    const lines = (await readFile(file, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { messageId: string; to: string });
    expect(lines.map((l) => l.messageId).sort()).toEqual([...ids].sort());
    // Masked and hashed, never the plain number.
    expect(lines.every((l) => !l.to.includes('4474001'))).toBe(true);
    expect(await readFile(file, 'utf8')).not.toContain('+4474001');
  });

  it('fails the sends whose line could not be written, and recovers for later ones', async () => {
    const blocker = join(dir, 'not-a-folder');
    await writeFile(blocker, 'x');
    const broken = new OutboxSender(hasher, { file: join(blocker, 'outbox.jsonl') });
    const results = await Promise.allSettled([broken.send(sms(1)), broken.send(sms(2))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);

    await rm(blocker);
    await expect(broken.send(sms(3))).resolves.toMatchObject({ messageId: expect.any(String) });
    expect((await readFile(join(blocker, 'outbox.jsonl'), 'utf8')).trimEnd().split('\n')).toHaveLength(1);
  });

  it('creates the file again when it is deleted while running (a user clearing the outbox)', async () => {
    const file = join(dir, 'outbox.jsonl');
    const outbox = new OutboxSender(hasher, { file });
    await outbox.send(sms(1));
    await rm(file);
    const { messageId } = await outbox.send(sms(2));
    expect(
      (await readFile(file, 'utf8'))
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { messageId: string }).messageId),
    ).toEqual([messageId]);
  });
});
