import { describe, expect, it } from 'vitest';
import { automationAgent } from '../../../lambdas/engine/rules/automation-agent';
import { attempt, ruleContext } from '../../support/engine';

describe('automation-agent rule', () => {
  it.each(['okhttp/4.12.0', 'MyApp/5.2.1 (iPhone; iOS 17.5) CFNetwork/1496.0.7 Darwin/23.5.0', 'Dart/3.2 (dart:io)'])(
    'is quiet for the mobile-app agent %s',
    (userAgent) => {
      expect(automationAgent.evaluate(ruleContext({ attempt: attempt({ userAgent }) }))).toBeUndefined();
    },
  );
  it('is quiet for a browser', () => {
    expect(automationAgent.evaluate(ruleContext())).toBeUndefined();
  });
  it.each(['python-requests/2.31.0', 'Go-http-client/1.1', 'curl/8.4.0', ''])('fires for the HTTP library %j', (userAgent) => {
    expect(automationAgent.evaluate(ruleContext({ attempt: attempt({ userAgent }) }))).toMatchObject({ reason: 'AUTOMATION_USER_AGENT' });
  });
  it('fires more strongly for a headless browser', () => {
    const userAgent = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36';
    expect(automationAgent.evaluate(ruleContext({ attempt: attempt({ userAgent }) }))).toEqual({ reason: 'HEADLESS_BROWSER', weight: 40 });
  });
});
