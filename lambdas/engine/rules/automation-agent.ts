import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';

/**
 * HTTP libraries and headless browsers. Native mobile stacks (okhttp, CFNetwork/Darwin,
 * Dart) are normal traffic and never fire this rule.
 */
export const automationAgent: Rule = {
  id: 'automation-agent',
  evaluate: ({ agent }) => {
    if (agent === 'headless') return { reason: Reason.HEADLESS_BROWSER, weight: 40 };
    if (agent === 'automation') return { reason: Reason.AUTOMATION_USER_AGENT, weight: 30 };
    return undefined;
  },
};
