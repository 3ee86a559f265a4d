/**
 * Request and answer bodies of the SMS Shield HTTP API v1, as plain types (the server validates
 * every request; these say what it accepts). Timestamps in answers are ISO 8601 strings unless
 * a field says epoch seconds.
 */

export type Scenario = 'register' | 'login' | 'reset_password' | 'transfer' | 'other';
export type Decision = 'allow' | 'challenge' | 'block';
export type RiskLevel = 'low' | 'medium' | 'high';

export interface Verdict {
  readonly decision: Decision;
  /** 0–100. */
  readonly score: number;
  readonly level: RiskLevel;
  /** Reason codes, strongest first (e.g. `NUMBER_VELOCITY`, `PREMIUM_RATE_NUMBER`). */
  readonly reasons: string[];
  /** Present when the block is a rate limit: seconds until the limiting window frees up. */
  readonly retryAfterSeconds?: number;
  /** True when the tenant runs in shadow mode: the decision is what would have happened. */
  readonly shadow?: boolean;
  /** With `challenge`: the proof-of-work level to fetch (`GET /v1/challenge?level=`) when above 1. */
  readonly challengeLevel?: number;
}

/** The end user's context, as your backend saw it. */
export interface AttemptInput {
  /** International format (`+44 7400 123456`), or national with `country`. */
  readonly phone: string;
  /** ISO 3166-1 alpha-2 region of a national-format `phone`. */
  readonly country?: string;
  readonly scenario: Scenario;
  /** The end user's IP address (not your server's). */
  readonly ip: string;
  readonly userAgent?: string;
  /** The device token from the browser SDK. */
  readonly device?: string;
  /** The proof-of-work solution from the browser SDK. */
  readonly challenge?: string;
  /** Your id of the account the SMS is for, if any. */
  readonly account?: string;
  /** 1–128 characters; a retry with the same key and body gets the first answer, never a second SMS. */
  readonly idempotencyKey?: string;
}

export interface SendInput extends AttemptInput {
  readonly message: string;
}

export interface OtpSendInput extends AttemptInput {
  /** Message text with a `{code}` placeholder. */
  readonly template?: string;
  /** 4–10 digits. @default 6 */
  readonly codeLength?: number;
}

export interface SendResult {
  readonly decision: 'allow';
  readonly sent: true;
  readonly messageId: string;
  readonly verdict: Verdict;
}

export interface OtpVerifyInput {
  readonly phone: string;
  readonly country?: string;
  /** The 4–10 digit code the user entered. */
  readonly code: string;
}

export type OtpVerifyResult =
  | { readonly verified: true }
  | { readonly verified: false; readonly reason: 'NO_PENDING_CODE' | 'WRONG_CODE' | 'TOO_MANY_ATTEMPTS'; readonly remainingAttempts?: number };

export interface VerificationReport {
  readonly phone: string;
  readonly country?: string;
  readonly success: boolean;
}

export type ListKind = 'number' | 'prefix' | 'ip' | 'cidr' | 'device' | 'asn' | 'country';
export type ListAction = 'block' | 'allow';
/** `global`, or one tenant's lists: `t:<tenant id>`. */
export type ListScope = 'global' | `t:${string}`;

export interface ListEntryInput {
  readonly kind: ListKind;
  readonly value: string;
  readonly action: ListAction;
  /** Shown to admins: printable, at most 200 characters, no phone number. */
  readonly reason?: string;
  /** 60 s to 400 days; omit for a permanent entry. */
  readonly ttlSeconds?: number;
}

export interface ListEntry {
  readonly scope: string;
  readonly kind: ListKind;
  /** Display form: numbers masked, devices shortened (the shield stores only their HMAC). */
  readonly value: string;
  readonly action: ListAction;
  readonly reason?: string;
  readonly createdAt: string;
  readonly expiresAt?: string;
}

export interface ListEntryPage {
  readonly entries: ListEntry[];
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

export interface ListPageOptions {
  /** 1–500. @default 100 */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** Per-window caps; a missing window keeps the default. */
export interface WindowLimits {
  readonly minute?: number;
  readonly hour?: number;
  readonly day?: number;
}

export interface RuleSetting {
  readonly enabled?: boolean;
  /** -100–100. */
  readonly weight?: number;
  readonly action?: 'block' | 'challenge' | 'score';
  /** With `action: 'challenge'`: a solved proof of work does not clear it (`CHALLENGE_NOT_ENOUGH`): step up another way. */
  readonly stepUp?: boolean;
}

export interface ScenarioPolicy {
  readonly challengeAt?: number;
  readonly blockAt?: number;
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  readonly onStoreError?: 'open' | 'closed';
}

/** One destination country's cost caps. */
export interface CountryCostCap {
  readonly burstPer10Min?: number;
  readonly dailyBudgetUsd?: number;
}

/** A tenant's policy overrides: everything optional, merged over the deployment's defaults. */
export interface PolicyOverrides {
  readonly mode?: 'enforce' | 'shadow';
  readonly numberLimits?: WindowLimits;
  readonly globalNumberLimits?: WindowLimits;
  readonly sourceLimits?: { readonly ip?: WindowLimits; readonly subnet?: WindowLimits; readonly device?: WindowLimits };
  readonly distinctLimits?: {
    readonly ipNumbers?: WindowLimits;
    readonly deviceNumbers?: WindowLimits;
    readonly ipCountries?: WindowLimits;
    readonly numberNetworks?: WindowLimits;
    readonly deviceAccounts?: WindowLimits;
    readonly range3Numbers?: WindowLimits;
    readonly range4Numbers?: WindowLimits;
  };
  readonly hardMultiplier?: number;
  readonly conversion?: {
    readonly maxUnverifiedPerNumber?: number;
    readonly pendingWindowSeconds?: number;
    readonly rangeMinSends?: number;
    readonly rangeMinRatio?: number;
    readonly countryMinSends?: number;
    readonly countryRelativeRatio?: number;
    readonly unverifiedFloor?: number;
    readonly unverifiedFactor?: number;
    readonly unverifiedTodayFactor?: number;
  };
  readonly prefix?: {
    readonly allowance?: { readonly range3?: number; readonly range4?: number; readonly range5?: number };
    readonly factor?: number;
    readonly usedSpace?: number;
    readonly blockAt?: number;
  };
  readonly numberBackoff?: { readonly baseSeconds?: number; readonly maxSeconds?: number; readonly jitter?: number };
  readonly spike?: { readonly minHourly?: number; readonly factor?: number; readonly minTenantDaily?: number };
  /** Sign-ups per network (autonomous system; hosting networks pooled): NETWORK_SPIKE and HOSTING_SIGNUP_BUDGET. */
  readonly networks?: {
    readonly scenarios?: readonly Scenario[];
    readonly spike?: { readonly minHourly?: number; readonly factor?: number; readonly minTenantDaily?: number };
    readonly hosting?: { readonly hourly?: number; readonly daily?: number; readonly share?: number };
  };
  readonly jointDefense?: {
    readonly bombingTenants?: number;
    readonly bombingNetworks?: number;
    readonly bombedLimits?: WindowLimits;
    readonly challengeLevel?: number;
    readonly pumpedRangeDaily?: number;
  };
  /** Cost guardrails per destination country: SMS per 10 minutes and estimated USD per day. */
  readonly costGuard?: {
    readonly mode?: 'off' | 'monitor' | 'enforce';
    readonly default?: CountryCostCap;
    /** Keyed by ISO code (`GB`) or non-geographic calling code (`+882`). */
    readonly countries?: Readonly<Record<string, CountryCostCap>>;
  };
  readonly usage?: { readonly perMinute?: number };
  /** ISO codes (`GB`) or non-geographic calling codes (`+882`). */
  readonly countries?: { readonly allow?: readonly string[]; readonly deny?: readonly string[] };
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  readonly scenarios?: { readonly [S in Scenario]?: ScenarioPolicy };
}

/** A tenant as an admin sees it (never a key). */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly policy: PolicyOverrides;
  /** Whether the tenant's Supabase Send SMS hook has a secret (never the secret). */
  readonly supabaseHook: SupabaseHook;
}

/** A tenant's Supabase Send SMS hook as the admin API shows it: whether a secret is set, never the secret. */
export interface SupabaseHook {
  readonly configured: boolean;
  /** Two secrets are accepted: the current one and the one it replaced. */
  readonly rotating: boolean;
  readonly codeTemplate?: string;
  readonly updatedAt?: string;
}

/** `PUT /v1/admin/tenants/{id}/hooks/supabase`. */
export interface SupabaseHookInput {
  /** The hook's secret as Supabase shows it: `v1,whsec_<base64>`. */
  readonly secret: string;
  /** Rotation: keep accepting the secret this one replaces, until the next set or clear. */
  readonly keepPrevious?: boolean;
  /** SMS text of a code, with `{code}`. @default 'Your verification code is {code}' */
  readonly codeTemplate?: string;
}

export interface CreateTenantInput {
  /** 2–63 lowercase letters, digits or dashes. */
  readonly id: string;
  readonly name?: string;
  readonly policy?: PolicyOverrides;
}

export interface CreatedTenant {
  readonly tenant: Tenant;
  /** Shown once: the shield stores only its hash. */
  readonly apiKey: string;
  readonly keyId: string;
}

export interface IssuedKey {
  /** Shown once: the shield stores only its hash. */
  readonly apiKey: string;
  /** The key's id (SHA-256 of the key, hex): names it for revocation, not a secret. */
  readonly keyId: string;
  /** The key revoked in the same call, when `revokeKeyId` was given. */
  readonly revokedKeyId?: string;
}

export interface RevokedKey {
  readonly revokedKeyId: string;
  readonly revokedAt: string;
}

export interface KeyInfo {
  readonly keyId: string;
  readonly createdAt: string;
  /** Present once the key is revoked. */
  readonly revokedAt?: string;
}

export interface KeyList {
  readonly keys: KeyInfo[];
}

export interface IssueKeyOptions {
  /** Rotation in one call: revoke this key (its id) once the new one is stored. */
  readonly revokeKeyId?: string;
}

/** One shared-reputation indicator (values are hashes with the alliance's key, or country codes). */
export interface ReputationIndicator {
  readonly kind: ListKind;
  readonly value: string;
  /** `JOINT_DEFENSE_VICTIM`, `_IP`, `_DEVICE`, `_RANGE` or `_COUNTRY`, matching the kind. */
  readonly reason: string;
  /** 0–1. */
  readonly confidence: number;
  readonly evidence: number;
  /** Epoch seconds. */
  readonly expiresAt: number;
}

export interface ReputationEntry extends ReputationIndicator {
  /** `local`, or `feed:<issuer>` for a partner's. */
  readonly source: string;
  readonly note?: string;
}

export interface ReputationList {
  /** The key id the values are hashed with. */
  readonly keyId: string;
  readonly indicators: ReputationEntry[];
}

export interface ReputationImport {
  /** Must be this deployment's key id. */
  readonly keyId: string;
  /** `feed:<issuer>`. */
  readonly source: string;
  /** At most 100 per request. */
  readonly indicators: readonly ReputationIndicator[];
}

export interface ReputationMergeResult {
  readonly merged: number;
  readonly unchanged: number;
  readonly expired: number;
}

/** A proof-of-work challenge (`GET /v1/challenge`), for the browser SDK's solver. */
export interface Challenge {
  readonly algorithm: 'SHA-256';
  readonly challenge: string;
  readonly maxnumber: number;
  readonly salt: string;
  readonly signature: string;
  readonly level: number;
  /** Epoch seconds. */
  readonly expires: number;
}

export interface ChallengeRequest {
  readonly tenant: string;
  /** 1–10: the `challengeLevel` of a verdict. */
  readonly level?: number;
}

export interface DeviceRequest {
  /** 8–256 printable ASCII characters without spaces. */
  readonly fingerprint: string;
  readonly markers?: readonly string[];
  /** The previous token, to renew it. */
  readonly token?: string;
}

export interface IssuedDevice {
  readonly token: string;
  readonly deviceId: string;
  /** Epoch seconds. */
  readonly firstSeen: number;
  /** Epoch seconds. */
  readonly expiresAt: number;
  readonly markers: readonly string[];
}

export interface Health {
  readonly status: 'ok';
}

/** The OpenAPI 3.1 document of the deployment. */
export interface OpenApiDocument {
  readonly openapi: string;
  readonly info: { readonly title: string; readonly version: string; readonly [key: string]: unknown };
  readonly paths: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}
