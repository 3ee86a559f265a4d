import { randomBytes } from 'node:crypto';
import { buildClient, CommitmentPolicy, KmsKeyringNode } from '@aws-crypto/client-node';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { kmsCodeDecryptor } from '../../lambdas/adapters/aws/cognito-code-decryptor';

/*
 * The production decryptor: a strict KMS keyring of the pool's key, against a KMS double that
 * wraps data keys like KMS does for one key. Cognito's ciphertexts are made here by the same SDK
 * with that key as generator.
 */
const KEY_ARN = 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_ARN = 'arn:aws:kms:eu-west-2:111122223333:key/0000abcd-12ab-34cd-56ef-1234567890ab';

const kms = mockClient(KMSClient);
afterEach(() => kms.reset());

/** KMS for one key: a wrapped data key is the key's ARN followed by the data key. */
function fakeKms() {
  kms.on(GenerateDataKeyCommand).callsFake((input: { KeyId: string; NumberOfBytes?: number }) => {
    const plaintext = randomBytes(input.NumberOfBytes ?? 32);
    return { KeyId: input.KeyId, Plaintext: plaintext, CiphertextBlob: Buffer.concat([Buffer.from(`${input.KeyId}|`), plaintext]) };
  });
  kms.on(DecryptCommand).callsFake((input: { CiphertextBlob: Uint8Array; KeyId?: string }) => {
    const blob = Buffer.from(input.CiphertextBlob);
    const at = blob.indexOf('|');
    const keyId = blob.subarray(0, at).toString();
    if (input.KeyId !== undefined && input.KeyId !== keyId) throw Object.assign(new Error('IncorrectKeyException'), { name: 'IncorrectKeyException' });
    return { KeyId: keyId, Plaintext: blob.subarray(at + 1) };
  });
}

async function cognitoCiphertext(code: string, keyArn = KEY_ARN): Promise<string> {
  const { encrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
  const { result } = await encrypt(new KmsKeyringNode({ generatorKeyId: keyArn }), code, { encryptionContext: { 'userpool-id': 'eu-west-2_Example' } });
  return result.toString('base64');
}

describe('kmsCodeDecryptor', () => {
  it('decrypts a code encrypted with the pool key, asking KMS to decrypt with that key only', async () => {
    fakeKms();
    await expect(kmsCodeDecryptor(KEY_ARN)(await cognitoCiphertext('482913'))).resolves.toBe('482913');
    const decrypts = kms.commandCalls(DecryptCommand);
    expect(decrypts).toHaveLength(1);
    expect(decrypts[0]!.args[0].input.KeyId).toBe(KEY_ARN);
  });

  it('refuses a code encrypted with another key, without asking KMS', async () => {
    fakeKms();
    await expect(kmsCodeDecryptor(KEY_ARN)(await cognitoCiphertext('482913', OTHER_ARN))).rejects.toThrow();
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(0);
  });

  it('refuses what is not an Encryption SDK message, and says nothing of its content', async () => {
    fakeKms();
    const error = await kmsCodeDecryptor(KEY_ARN)(Buffer.from('482913').toString('base64')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toContain('482913');
  });
});
