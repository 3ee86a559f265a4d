import type { RemovalPolicy } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

/** The keys the API function reads once per cold start. */
export interface ShieldSecrets {
  /** Key used to hash phone numbers and other identifiers before storage. */
  readonly hashSecret: Secret;
  /** Key that signs proof-of-work challenges and device tokens (man-machine identification). */
  readonly challengeSecret: Secret;
}

/** The identifier-hashing key and the challenge-signing key. */
export function buildShieldSecrets(scope: Construct, removalPolicy: RemovalPolicy): ShieldSecrets {
  return {
    hashSecret: buildKeySecret(scope, 'HashSecret', 'SMS Shield key for hashing phone numbers and other identifiers', removalPolicy),
    challengeSecret: buildKeySecret(scope, 'ChallengeSecret', 'SMS Shield key for signing proof-of-work challenges and device tokens', removalPolicy),
  };
}

/** A generated 48-character key (letters and digits). Why it has no rotation schedule: nag-acknowledgements.ts. */
export function buildKeySecret(scope: Construct, id: string, description: string, removalPolicy: RemovalPolicy): Secret {
  return new Secret(scope, id, {
    description,
    generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
    removalPolicy,
  });
}
