import { STRONG_DEVICE_MARKERS } from '../device-markers';
import { Reason } from '../../domain/reasons';
import type { Rule } from '../rule';

/**
 * Automation markers the browser SDK reported inside the signed device token (WebDriver flag,
 * headless user agent, framework globals; weaker: no languages, spoofed platform, zero-sized
 * screen). A strong marker weighs like a headless user agent; hints alone weigh half.
 */
export const browserAutomation: Rule = {
  id: 'browser-automation',
  evaluate: ({ attempt }) => {
    const markers = attempt.deviceSignals?.markers;
    if (!markers || markers.length === 0) return undefined;
    const strong = markers.some((m) => STRONG_DEVICE_MARKERS.has(m));
    return { reason: Reason.AUTOMATION_MARKERS, weight: strong ? 40 : 20 };
  },
};
