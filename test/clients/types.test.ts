/**
 * The package's types are written by hand (it ships without the server), so they can drift from
 * what the server validates and answers. These checks run at type-check time (`tsc`): every
 * request body the server accepts fits the client's type, every answer it gives fits the
 * client's answer type, and both have the same fields at every depth.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod';
import type * as client from '../../client/src/index';
import type { IssuedChallenge } from '../../lambdas/challenge/proof-of-work';
import type { IssuedDevice } from '../../lambdas/challenge/device-tokens';
import type { challengeQuerySchema, deviceRequestSchema } from '../../lambdas/challenge/man-machine';
import type { Verdict } from '../../lambdas/domain/types';
import type { policyOverridesSchema } from '../../lambdas/engine/policy-schema';
import type { ListEntryPage, ListEntryView, listEntryInputSchema } from '../../lambdas/service/list-admin';
import type { OtpVerifyResult } from '../../lambdas/service/otp-service';
import type { ReputationAdmin, reputationImportSchema } from '../../lambdas/service/reputation-admin';
import type {
  otpSendRequestSchema,
  otpVerifyRequestSchema,
  sendRequestSchema,
  verdictRequestSchema,
  verificationEventSchema,
} from '../../lambdas/service/schemas';
import type { SendOutcome } from '../../lambdas/service/send-outcome';
import type { createTenantSchema, issueKeySchema, TenantAdmin, TenantView } from '../../lambdas/service/tenant-admin';

type Obj<T> = T extends readonly unknown[] ? never : T extends object ? T : never;
type KeyDiff<A, B> = Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>;
/** `never` when A and B have the same fields at every depth; else the path of the first difference. */
type Drift<A, B, Path extends string = '$'> = A extends readonly (infer EA)[]
  ? B extends readonly (infer EB)[]
    ? Drift<EA, EB, `${Path}[]`>
    : Path
  : [Obj<A>] extends [never]
    ? [Obj<B>] extends [never]
      ? never
      : Path
    : [Obj<B>] extends [never]
      ? Path
      : [KeyDiff<A, B>] extends [never]
        ? { [K in keyof A & keyof B & string]-?: Drift<NonNullable<A[K]>, NonNullable<B[K]>, `${Path}.${K}`> }[keyof A & keyof B & string]
        : `${Path} has ${KeyDiff<A, B> & string} on one side only`;

type Answer<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;
/**
 * The server types a stored policy as a deep partial of its whole policy, which maps arrays to
 * arrays of optional elements; on the wire it is what the policy schema let through.
 */
type WirePolicy<T> = T extends { policy: unknown } ? Omit<T, 'policy'> & { policy: z.output<typeof policyOverridesSchema> } : never;
type WireTenant = WirePolicy<TenantView>;
type WireCreated = Omit<Answer<TenantAdmin['create']>, 'tenant'> & { tenant: WireTenant };

describe('client types match the server', () => {
  it('request bodies: what the server accepts fits the client type, field for field', () => {
    expectTypeOf<z.input<typeof verdictRequestSchema>>().toExtend<client.AttemptInput>();
    expectTypeOf<Drift<z.input<typeof verdictRequestSchema>, client.AttemptInput>>().toEqualTypeOf<never>();
    expectTypeOf<z.input<typeof sendRequestSchema>>().toExtend<client.SendInput>();
    expectTypeOf<Drift<z.input<typeof sendRequestSchema>, client.SendInput>>().toEqualTypeOf<never>();
    expectTypeOf<z.input<typeof otpSendRequestSchema>>().toExtend<client.OtpSendInput>();
    expectTypeOf<Drift<z.input<typeof otpSendRequestSchema>, client.OtpSendInput>>().toEqualTypeOf<never>();
    expectTypeOf<z.input<typeof otpVerifyRequestSchema>>().toExtend<client.OtpVerifyInput>();
    expectTypeOf<Drift<z.input<typeof otpVerifyRequestSchema>, client.OtpVerifyInput>>().toEqualTypeOf<never>();
    expectTypeOf<z.input<typeof verificationEventSchema>>().toExtend<client.VerificationReport>();
    expectTypeOf<Drift<z.input<typeof verificationEventSchema>, client.VerificationReport>>().toEqualTypeOf<never>();
    expectTypeOf<z.input<typeof listEntryInputSchema>>().toExtend<client.ListEntryInput>();
    expectTypeOf<Drift<z.input<typeof listEntryInputSchema>, client.ListEntryInput>>().toEqualTypeOf<never>();
    expectTypeOf<z.input<typeof createTenantSchema>>().toExtend<client.CreateTenantInput>();
    expectTypeOf<Drift<z.input<typeof createTenantSchema>, client.CreateTenantInput>>().toEqualTypeOf<never>();
    expectTypeOf<z.input<typeof issueKeySchema>>().toExtend<client.IssueKeyOptions>();
    expectTypeOf<Drift<z.input<typeof issueKeySchema>, client.IssueKeyOptions>>().toEqualTypeOf<never>();
    expectTypeOf<z.input<typeof policyOverridesSchema>>().toExtend<client.PolicyOverrides>();
    expectTypeOf<Drift<z.input<typeof policyOverridesSchema>, client.PolicyOverrides>>().toEqualTypeOf<never>();
    expectTypeOf<z.input<typeof reputationImportSchema>>().toExtend<client.ReputationImport>();
    expectTypeOf<Drift<z.input<typeof reputationImportSchema>, client.ReputationImport>>().toEqualTypeOf<never>();
    expectTypeOf<z.input<typeof deviceRequestSchema>>().toExtend<client.DeviceRequest>();
    expectTypeOf<Drift<z.input<typeof deviceRequestSchema>, client.DeviceRequest>>().toEqualTypeOf<never>();
    // The query is coerced from text: what the server makes of it.
    expectTypeOf<z.output<typeof challengeQuerySchema>>().toExtend<client.ChallengeRequest>();
    expectTypeOf<Drift<z.output<typeof challengeQuerySchema>, client.ChallengeRequest>>().toEqualTypeOf<never>();
    expect(true).toBe(true);
  });

  it('answers: what the server answers fits the client type, field for field', () => {
    type Sent = Extract<SendOutcome, { kind: 'sent' }>['body'];
    expectTypeOf<Sent>().toExtend<client.SendResult>();
    expectTypeOf<Drift<Sent, client.SendResult>>().toEqualTypeOf<never>();
    expectTypeOf<Verdict>().toExtend<client.Verdict>();
    expectTypeOf<Drift<Verdict, client.Verdict>>().toEqualTypeOf<never>();
    expectTypeOf<OtpVerifyResult>().toExtend<client.OtpVerifyResult>();
    expectTypeOf<ListEntryView>().toExtend<client.ListEntry>();
    expectTypeOf<Drift<ListEntryView, client.ListEntry>>().toEqualTypeOf<never>();
    expectTypeOf<ListEntryPage>().toExtend<client.ListEntryPage>();
    expectTypeOf<Drift<ListEntryPage, client.ListEntryPage>>().toEqualTypeOf<never>();
    expectTypeOf<WireTenant>().toExtend<client.Tenant>();
    expectTypeOf<Drift<WireTenant, client.Tenant>>().toEqualTypeOf<never>();
    expectTypeOf<WireCreated>().toExtend<client.CreatedTenant>();
    expectTypeOf<Drift<WireCreated, client.CreatedTenant>>().toEqualTypeOf<never>();
    expectTypeOf<Answer<TenantAdmin['issueKey']>>().toExtend<client.IssuedKey>();
    expectTypeOf<Drift<Answer<TenantAdmin['issueKey']>, client.IssuedKey>>().toEqualTypeOf<never>();
    expectTypeOf<Answer<TenantAdmin['revokeKey']>>().toExtend<client.RevokedKey>();
    expectTypeOf<Drift<Answer<TenantAdmin['revokeKey']>, client.RevokedKey>>().toEqualTypeOf<never>();
    expectTypeOf<Answer<ReputationAdmin['list']>>().toExtend<client.ReputationList>();
    expectTypeOf<Drift<Answer<ReputationAdmin['list']>, client.ReputationList>>().toEqualTypeOf<never>();
    expectTypeOf<Answer<ReputationAdmin['merge']>>().toExtend<client.ReputationMergeResult>();
    expectTypeOf<Drift<Answer<ReputationAdmin['merge']>, client.ReputationMergeResult>>().toEqualTypeOf<never>();
    expectTypeOf<IssuedChallenge>().toExtend<client.Challenge>();
    expectTypeOf<Drift<IssuedChallenge, client.Challenge>>().toEqualTypeOf<never>();
    expectTypeOf<IssuedDevice>().toExtend<client.IssuedDevice>();
    expectTypeOf<Drift<IssuedDevice, client.IssuedDevice>>().toEqualTypeOf<never>();
    expect(true).toBe(true);
  });
});
