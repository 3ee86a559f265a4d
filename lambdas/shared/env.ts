/**
 * Environment variable names shared by the CDK construct that sets them and the
 * handlers that read them. Change a name here and both sides follow.
 */
export const ENV = {
  /** DynamoDB table of velocity counters (pk, TTL on `expiresAt`). */
  COUNTERS_TABLE: 'SMS_SHIELD_COUNTERS_TABLE',
  /** DynamoDB table of block/allow lists and shared reputation (pk, GSI `byScope`, TTL on `expiresAt`). */
  LISTS_TABLE: 'SMS_SHIELD_LISTS_TABLE',
  /** DynamoDB table of tenants and hashed API keys (pk). */
  TENANTS_TABLE: 'SMS_SHIELD_TENANTS_TABLE',
  /** DynamoDB table of pending verifications of sent SMS (pk, TTL on `expiresAt`). */
  VERIFICATIONS_TABLE: 'SMS_SHIELD_VERIFICATIONS_TABLE',
  /** DynamoDB table of verdict events for the joint-defense job (pk minute#shard, sk, TTL on `expiresAt`). */
  EVENTS_TABLE: 'SMS_SHIELD_EVENTS_TABLE',
  /**
   * Partitions per minute of the Events table (a positive integer): the API function writes
   * events across them and the joint-defense job reads them all, so both get the same value,
   * derived from the stated peak verdict rate. Unset: `EVENT_SHARDS`.
   */
  EVENT_SHARDS: 'SMS_SHIELD_EVENT_SHARDS',
  /** Optional Secrets Manager secret ARN holding the alliance key (reputation shared with partner deployments). */
  ALLIANCE_SECRET_ARN: 'SMS_SHIELD_ALLIANCE_SECRET_ARN',
  /** Secrets Manager secret ARN holding the identifier-hashing key. */
  HASH_SECRET_ARN: 'SMS_SHIELD_HASH_SECRET_ARN',
  /** Secrets Manager secret ARN holding the man-machine key (proof-of-work challenges, device tokens). */
  CHALLENGE_SECRET_ARN: 'SMS_SHIELD_CHALLENGE_SECRET_ARN',
  /** Secrets Manager secret ARN the admin-key bootstrap writes the first admin key to (plain string). */
  ADMIN_KEY_SECRET_ARN: 'SMS_SHIELD_ADMIN_KEY_SECRET_ARN',
  /** Optional SNS sender id for outgoing SMS. */
  SENDER_ID: 'SMS_SHIELD_SENDER_ID',
  /** `enforce` or `shadow`: the deployment-wide default mode. */
  DEFAULT_MODE: 'SMS_SHIELD_DEFAULT_MODE',
  /** Live entries one list scope (a tenant's lists, or the global list) may hold: a positive integer. */
  MAX_LIST_ENTRIES: 'SMS_SHIELD_MAX_LIST_ENTRIES',
  /**
   * Optional Secrets Manager secret ARN holding the public edge's origin secret. Set: the public
   * routes answer only requests CloudFront forwarded with it, and count the viewer's address.
   */
  ORIGIN_SECRET_ARN: 'SMS_SHIELD_ORIGIN_SECRET_ARN',
  /**
   * With `ORIGIN_SECRET_ARN`: `refuse` (or unset) answers public calls that skip the edge 403;
   * `allow` still answers them, by their connection address, while pages move to the edge.
   */
  PUBLIC_EDGE_DIRECT_CALLS: 'SMS_SHIELD_PUBLIC_EDGE_DIRECT_CALLS',
  /** The tenant a Cognito user pool's codes are judged as (Cognito sender and feedback functions). */
  COGNITO_TENANT_ID: 'SMS_SHIELD_COGNITO_TENANT_ID',
  /** ARN of the KMS key Cognito encrypts codes with (the Cognito sender decrypts with it, and no other). */
  COGNITO_KEY_ARN: 'SMS_SHIELD_COGNITO_KEY_ARN',
  /** SMS text of a Cognito code, with `{code}`; unset: the default. */
  COGNITO_CODE_TEMPLATE: 'SMS_SHIELD_COGNITO_CODE_TEMPLATE',
  /** SMS text of a Cognito temporary password (administrator-created user), with `{code}`; unset: the default. */
  COGNITO_TEMPORARY_PASSWORD_TEMPLATE: 'SMS_SHIELD_COGNITO_TEMPORARY_PASSWORD_TEMPLATE',
} as const;

/**
 * The admin-key bootstrap custom resource's property that, when changed, issues a fresh admin key.
 * Its other properties are the Tenants table and the secret, named like their variables above.
 */
export const ADMIN_KEY_GENERATION_PROPERTY = 'Generation';

/** Read a required variable once, at module load, and fail loudly when it is missing. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`Missing required environment variable ${name}`);
  return value;
}

/**
 * Read an optional positive integer (decimal digits, no sign, no exponent) once, at module load.
 * Unset or empty: `undefined`, so the reader's default applies. Anything else fails loudly, naming
 * the variable, instead of quietly falling back to a default nobody asked for.
 */
export function optionalPositiveIntegerEnv(name: string, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!/^[1-9][0-9]*$/.test(raw) || !Number.isSafeInteger(value)) {
    throw new Error(`Environment variable ${name} must be a positive integer, got '${raw}'`);
  }
  return value;
}

/** Read an optional variable that must be one of `values`; unset or empty: `fallback`. Anything else fails loudly. */
export function oneOfEnv<T extends string>(name: string, values: readonly T[], fallback: T, env: NodeJS.ProcessEnv = process.env): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw)) {
    throw new Error(`Environment variable ${name} must be one of ${values.map((v) => `'${v}'`).join(', ')}, got '${raw}'`);
  }
  return raw as T;
}
