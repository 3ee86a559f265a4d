import { describe, expect, it } from 'vitest';
import { browserAutomation } from '../../../lambdas/engine/rules/browser-automation';
import { attempt, ruleContext } from '../../support/engine';

const withMarkers = (markers: string[]) => ruleContext({ attempt: attempt({ deviceSignals: { token: 'valid', markers } }) });

describe('browser-automation rule', () => {
  it('is quiet without markers, and when no device token was checked', () => {
    expect(browserAutomation.evaluate(withMarkers([]))).toBeUndefined();
    expect(browserAutomation.evaluate(ruleContext())).toBeUndefined();
  });
  it.each(['webdriver', 'headless-ua', 'automation-globals'])('fires strongly for %s', (marker) => {
    expect(browserAutomation.evaluate(withMarkers([marker]))).toEqual({ reason: 'AUTOMATION_MARKERS', weight: 40 });
  });
  it('fires at half weight for hints a real browser can show', () => {
    expect(browserAutomation.evaluate(withMarkers(['no-languages', 'zero-screen']))).toEqual({ reason: 'AUTOMATION_MARKERS', weight: 20 });
  });
});
