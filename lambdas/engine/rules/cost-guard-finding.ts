import type { ReasonCode } from '../../domain/reasons';
import type { Finding } from '../../domain/types';
import type { RuleContext } from '../rule';

/** What a cost-guard breach adds: a named, weightless finding in `monitor`, a rate block in `enforce`. */
export function costGuardFinding(ctx: Pick<RuleContext, 'policy'>, reason: ReasonCode, retryAfterSeconds: number): Finding {
  return ctx.policy.costGuard.mode === 'enforce' ? { reason, weight: 100, action: 'block', retryAfterSeconds } : { reason, weight: 0 };
}
