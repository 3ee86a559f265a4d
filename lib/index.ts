/**
 * The SMS Shield construct library: `import { SmsShield } from 'sms-shield'` in your CDK app.
 * The Lambda code and the GeoIP layer come prebuilt with the package (`npm run build`), so
 * synthesizing needs no esbuild, no Docker and no source tree.
 */
export { SmsShield } from './sms-shield.js';
export { SmsShieldCognitoSmsSender, type SmsShieldCognitoSmsSenderProps } from './cognito-sms-sender.js';
export type { SmsShieldGuardrailProps, SmsShieldProps, SmsShieldThrottle } from './sms-shield-props.js';
export { SmsShieldStack, type SmsShieldStackProps } from './sms-shield-stack.js';
export { SmsShieldMonitoring, type SmsShieldMonitoringOptions, type SmsShieldMonitoringProps } from './sms-shield-monitoring.js';
export { SmsShieldPublicEdge, type SmsShieldPublicEdgeOptions, type SmsShieldPublicEdgeProps } from './sms-shield-public-edge.js';
