#!/usr/bin/env node
/**
 * Example CDK app: SMS Shield protecting an Amazon Cognito user pool (examples/cognito/stack.ts).
 * Synthesizes offline, from the repository root after `npm run build`:
 *
 *   npx cdk synth --app "npx tsx examples/cognito/app.ts"
 *
 * The stack is environment-agnostic: `cdk deploy` puts it in the account and region of the
 * credentials used.
 */
import { App } from 'aws-cdk-lib';
import { CognitoExampleStack } from './stack.js';

const app = new App();
new CognitoExampleStack(app, 'SmsShieldCognitoExample');
app.synth();
