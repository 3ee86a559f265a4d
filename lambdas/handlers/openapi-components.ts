/** The shared schemas and security schemes of the OpenAPI document. */
import { ref } from './openapi-parts';

export const COMPONENTS = {
  securitySchemes: {
    tenantKey: { type: 'http', scheme: 'bearer', description: 'Tenant API key (`ssk_…`)' },
    adminKey: { type: 'http', scheme: 'bearer', description: 'Admin API key' },
  },
  schemas: {
    Verdict: {
      type: 'object',
      properties: {
        decision: { type: 'string', enum: ['allow', 'challenge', 'block'] },
        score: { type: 'integer', minimum: 0, maximum: 100 },
        level: { type: 'string', enum: ['low', 'medium', 'high'] },
        reasons: { type: 'array', items: { type: 'string' }, description: 'Stable reason codes; a block lists the hard reason first' },
        retryAfterSeconds: { type: 'integer' },
        shadow: { type: 'boolean' },
        challengeLevel: {
          type: 'integer',
          minimum: 2,
          description:
            'With `challenge`: fetch the proof-of-work challenge at this level (`GET /v1/challenge?level=`); absent means the level the challenge route picks',
        },
      },
      required: ['decision', 'score', 'level', 'reasons'],
    },
    SendResponse: {
      type: 'object',
      properties: { decision: { const: 'allow' }, sent: { const: true }, messageId: { type: 'string' }, verdict: ref('Verdict') },
      required: ['decision', 'sent', 'messageId', 'verdict'],
    },
    RefusedSendResponse: {
      type: 'object',
      properties: {
        decision: { type: 'string' },
        sent: { const: false },
        verdict: ref('Verdict'),
        error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
      },
      required: ['decision', 'sent', 'verdict'],
    },
    OutcomeUnknownSendResponse: {
      type: 'object',
      properties: {
        decision: { type: 'string' },
        sent: { type: 'null', description: 'Unknown: the SMS may or may not have been sent' },
        verdict: ref('Verdict'),
        error: { type: 'object', properties: { code: { const: 'SEND_OUTCOME_UNKNOWN' }, message: { type: 'string' } }, required: ['code', 'message'] },
      },
      required: ['decision', 'sent', 'verdict', 'error'],
    },
    OtpVerifyResult: {
      oneOf: [
        { type: 'object', properties: { verified: { const: true } }, required: ['verified'] },
        {
          type: 'object',
          properties: {
            verified: { const: false },
            reason: { type: 'string', enum: ['NO_PENDING_CODE', 'WRONG_CODE', 'TOO_MANY_ATTEMPTS'] },
            remainingAttempts: { type: 'integer' },
          },
          required: ['verified', 'reason'],
        },
      ],
    },
    ListEntry: {
      type: 'object',
      properties: {
        scope: { type: 'string' },
        kind: { type: 'string' },
        value: { type: 'string' },
        action: { type: 'string', enum: ['block', 'allow'] },
        reason: { type: 'string' },
        createdAt: { type: 'string', format: 'date-time' },
        expiresAt: { type: 'string', format: 'date-time' },
      },
      required: ['scope', 'kind', 'value', 'action', 'createdAt'],
    },
    ListEntries: {
      type: 'object',
      properties: {
        entries: { type: 'array', items: ref('ListEntry') },
        nextCursor: { type: 'string', description: 'Pass as `cursor` for the next page; absent on the last page' },
      },
      required: ['entries'],
    },
    Removed: { type: 'object', properties: { removed: { const: true } }, required: ['removed'] },
    Error: {
      type: 'object',
      properties: {
        error: {
          type: 'object',
          properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } },
          required: ['code', 'message'],
        },
      },
      required: ['error'],
    },
  },
};
