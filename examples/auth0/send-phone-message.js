/**
 * SMS Shield for Auth0: a `send-phone-message` Action (Actions > Library > Build Custom >
 * trigger "Send Phone Message"). Paste this whole file as the Action's code; it needs no npm
 * dependency (Node 18+ `fetch` and `crypto`). See docs/auth0.md.
 *
 * Auth0 hands the Action every MFA code it would text (enrollment and second-factor challenges)
 * with a custom phone provider selected. The Action asks the shield to judge and send it
 * (`POST /v1/sms/send`, through SNS) with the end user's address, user agent and Auth0 user id,
 * and throws when the shield refuses, so Auth0 reports the code as not sent.
 *
 * Secrets (Action > Secrets): SHIELD_URL (the API's base URL, no trailing path) and
 * SHIELD_API_KEY (the tenant's key, `ssk_…`). Optional: SHIELD_TIMEOUT_MS (default 8000).
 *
 * Nothing here logs the phone number, the code or the key.
 */
const { createHash } = require('node:crypto');

/** Auth0's `message_options.action` as the shield's scenario. */
const SCENARIO_OF_ACTION = {
  enrollment: 'register',
  'second-factor-authentication': 'login',
};

/** What the end user is told, by refusal code. The code is stable; the words may change. */
const REFUSALS = {
  SHIELD_BLOCKED: 'A code cannot be sent to this phone number.',
  SHIELD_RATE_LIMITED: 'Too many codes were requested. Try again later.',
  SHIELD_CHALLENGE: 'A code cannot be sent right now. Try again later or use another method.',
  SHIELD_INVALID_REQUEST: 'No code can be sent for this request.',
  SHIELD_VOICE_UNSUPPORTED: 'Voice calls are not available: choose SMS.',
  SHIELD_SEND_FAILED: 'The SMS could not be sent. Try again later.',
  SHIELD_UNAVAILABLE: 'Codes cannot be sent right now. Try again shortly.',
  SHIELD_NOT_CONFIGURED: 'Codes cannot be sent: the SMS Shield Action is not configured.',
};

/**
 * The idempotency key of one message: the same Auth0 tenant, user, number, action and code give
 * the same key, so a second run of the Action for the same message gets the first answer and no
 * second SMS. Hashed: the code never leaves as it is.
 */
function idempotencyKeyOf(event) {
  const options = event.message_options || {};
  const parts = [event.tenant?.id, event.user?.user_id, options.recipient, options.action, options.message_type, options.code, options.text];
  return `auth0-${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 43)}`;
}

/** The refusal of one code, as a value. */
function refusal(code, extra = {}) {
  return { sent: false, code, message: REFUSALS[code], ...extra };
}

/**
 * The core, without Auth0: judge and send `event`'s message through the shield. Resolves to
 * `{ sent: true, messageId, reasons }` or `{ sent: false, code, message, reasons?,
 * retryAfterSeconds? }`; never rejects.
 */
async function protectPhoneMessage(event, deps = {}) {
  const doFetch = deps.fetch || fetch;
  const secrets = event.secrets || {};
  const configuration = event.configuration || {};
  const url = String(secrets.SHIELD_URL || configuration.SHIELD_URL || '').replace(/\/+$/, '');
  const apiKey = secrets.SHIELD_API_KEY;
  if (!url || !apiKey) return refusal('SHIELD_NOT_CONFIGURED');

  const options = event.message_options || {};
  if (options.message_type === 'voice') return refusal('SHIELD_VOICE_UNSUPPORTED');
  if (typeof options.recipient !== 'string' || typeof options.text !== 'string') return refusal('SHIELD_INVALID_REQUEST');
  const request = event.request || {};
  const body = {
    phone: options.recipient,
    message: options.text,
    scenario: SCENARIO_OF_ACTION[options.action] || 'other',
    ip: request.ip,
    ...(request.user_agent && { userAgent: String(request.user_agent).slice(0, 1024) }),
    ...(event.user?.user_id && { account: String(event.user.user_id).slice(0, 256) }),
    idempotencyKey: idempotencyKeyOf(event),
  };

  const timeoutMs = Number(secrets.SHIELD_TIMEOUT_MS || configuration.SHIELD_TIMEOUT_MS) || 8000;
  let response;
  let answer;
  try {
    response = await doFetch(`${url}/v1/sms/send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    answer = await response.json().catch(() => ({}));
  } catch {
    // Unreachable, timed out, or not JSON: Auth0 does not send by itself, so no code goes out.
    return refusal('SHIELD_UNAVAILABLE');
  }
  const verdict = answer.verdict || {};
  const reasons = Array.isArray(verdict.reasons) ? verdict.reasons : undefined;
  switch (response.status) {
    case 200:
      // Only the shield's own answer counts as sent: a 200 from anything else at SHIELD_URL is not.
      return answer.sent === true ? { sent: true, messageId: answer.messageId, reasons } : refusal('SHIELD_NOT_CONFIGURED');
    case 504:
      // SNS's answer was lost: the SMS may be out. Counted as sent, so nobody gets two.
      if (answer.sent === null) return { sent: true, messageId: undefined, reasons };
      return refusal('SHIELD_UNAVAILABLE');
    case 403:
      return refusal('SHIELD_BLOCKED', { reasons });
    case 428:
      // A proof-of-work challenge cannot be shown through Auth0's MFA pages.
      return refusal('SHIELD_CHALLENGE', { reasons });
    case 429: {
      const retryAfterSeconds = Number(verdict.retryAfterSeconds || response.headers.get('retry-after')) || undefined;
      return refusal('SHIELD_RATE_LIMITED', { reasons, ...(retryAfterSeconds && { retryAfterSeconds }) });
    }
    case 502:
      return refusal('SHIELD_SEND_FAILED', { reasons });
    case 400:
    case 422:
      return refusal('SHIELD_INVALID_REQUEST');
    case 401:
    case 404:
      return refusal('SHIELD_NOT_CONFIGURED');
    default:
      // 409 (this message's first run is still in progress), 503, anything else.
      return refusal('SHIELD_UNAVAILABLE');
  }
}

/**
 * Handler that will be called during the execution of a SendPhoneMessage flow.
 *
 * @param {Event} event - Details about the user and the context in which they are logging in.
 * @param {SendPhoneMessageAPI} _api - Unused: a refusal is a thrown error.
 */
exports.onExecuteSendPhoneMessage = async (event, _api) => {
  const outcome = await protectPhoneMessage(event);
  if (outcome.sent) return;
  // Auth0 fails the send and logs the message: the refusal code and reasons, never the number or the OTP.
  const wait = outcome.retryAfterSeconds ? ` (retry after ${outcome.retryAfterSeconds} s)` : '';
  console.log(`SMS Shield refused the code: ${outcome.code}${outcome.reasons ? ` [${outcome.reasons.join(',')}]` : ''}`);
  throw new Error(`${outcome.code}: ${outcome.message}${wait}`);
};

// Not used by Auth0: the tests call the core directly.
exports.protectPhoneMessage = protectPhoneMessage;
exports.idempotencyKeyOf = idempotencyKeyOf;
