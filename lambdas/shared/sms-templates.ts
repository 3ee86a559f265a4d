/** Longest SMS template a Cognito sender takes (the `/v1/otp/send` limit too). */
export const MAX_TEMPLATE_LENGTH = 320;

/**
 * Why an SMS template with a `{code}` placeholder is unfit, or undefined: checked by the
 * construct at synth and by the function at its cold start. Node built-ins only.
 */
export function templateProblem(template: string): string | undefined {
  if (!template.includes('{code}')) return 'must contain {code}';
  if (template.length > MAX_TEMPLATE_LENGTH) return `must be at most ${MAX_TEMPLATE_LENGTH} characters`;
  if (/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/.test(template)) return 'contains control characters';
  return undefined;
}
