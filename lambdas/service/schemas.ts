import { isIP } from 'node:net';
import * as z from 'zod';
import { SCENARIOS } from '../domain/types';
import { hasForbiddenControlChars, smsShape } from './message';

/** Most SMS a single request may cost; longer bodies are almost always abuse or a bug. */
export const MAX_SEGMENTS = 6;

const ip = z
  .string()
  .trim()
  .max(64)
  .refine((v) => isIP(v) !== 0, "must be an IPv4 or IPv6 address (the end user's, as your backend saw it)");

/** Fields shared by every request that asks for a verdict. */
export const attemptFields = {
  phone: z.string().trim().min(1, 'is required').max(64),
  country: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 region code such as "GB"')
    .transform((v) => v.toUpperCase())
    .optional(),
  scenario: z.enum(SCENARIOS),
  ip,
  userAgent: z.string().max(1024).optional(),
  device: z.string().max(4096).optional(),
  challenge: z.string().max(8192).optional(),
  account: z.string().min(1).max(256).optional(),
  idempotencyKey: z.string().min(1).max(128).optional(),
};

export const verdictRequestSchema = z.strictObject(attemptFields);
export type VerdictRequest = z.infer<typeof verdictRequestSchema>;

export const sendRequestSchema = z.strictObject({
  ...attemptFields,
  message: z
    .string()
    .min(1, 'is required')
    .max(1600)
    .refine((m) => !hasForbiddenControlChars(m), 'contains control characters')
    .refine((m) => smsShape(m).segments <= MAX_SEGMENTS, `is longer than ${MAX_SEGMENTS} SMS segments`),
});
export type SendRequest = z.infer<typeof sendRequestSchema>;

export const otpSendRequestSchema = z.strictObject({
  ...attemptFields,
  /** Message text with a `{code}` placeholder. */
  template: z
    .string()
    .min(6)
    .max(320)
    .refine((t) => t.includes('{code}'), 'must contain {code}')
    .refine((t) => !hasForbiddenControlChars(t), 'contains control characters')
    .optional(),
  codeLength: z.number().int().min(4).max(10).optional(),
});
export type OtpSendRequest = z.infer<typeof otpSendRequestSchema>;

export const otpVerifyRequestSchema = z.strictObject({
  phone: attemptFields.phone,
  country: attemptFields.country,
  code: z.string().regex(/^\d{4,10}$/, 'must be the 4–10 digit code'),
});
export type OtpVerifyRequest = z.infer<typeof otpVerifyRequestSchema>;

export const verificationEventSchema = z.strictObject({
  phone: attemptFields.phone,
  country: attemptFields.country,
  success: z.boolean(),
});
export type VerificationEventRequest = z.infer<typeof verificationEventSchema>;
