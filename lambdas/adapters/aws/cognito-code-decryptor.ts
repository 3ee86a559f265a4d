import { buildClient, CommitmentPolicy, type KeyringNode, KmsKeyringNode } from '@aws-crypto/client-node';

/** Turns the `code` of a Cognito custom sender event (base64 ciphertext) into the code. */
export type CodeDecryptor = (ciphertextBase64: string) => Promise<string>;

// Cognito encrypts with the AWS Encryption SDK; messages of any commitment policy are read.
const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);

/** A code or a temporary password is a few dozen bytes: anything far larger is not Cognito's. */
const MAX_BODY_BYTES = 4_096;

/**
 * Decrypts with `keyring`: the KMS keyring of the pool's key in production, a raw AES keyring
 * in tests. The plaintext goes only into the SMS text; no error carries it.
 */
export function codeDecryptor(keyring: KeyringNode): CodeDecryptor {
  return async (ciphertextBase64) => {
    const { plaintext } = await decrypt(keyring, Buffer.from(ciphertextBase64, 'base64'), { maxBodySize: MAX_BODY_BYTES });
    return plaintext.toString('utf8');
  };
}

/** Decrypts with the KMS key Cognito encrypts codes with, and with no other (strict keyring). */
export function kmsCodeDecryptor(keyArn: string): CodeDecryptor {
  return codeDecryptor(new KmsKeyringNode({ keyIds: [keyArn] }));
}
