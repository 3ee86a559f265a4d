import type { Rule } from '../rule';
import { invalidNumber } from './invalid-number';
import { numberType } from './number-type';
import { globalNumberVelocity, numberVelocity } from './number-velocity';

/** Every rule the engine runs, in evaluation order. Adding a rule: one file and one line here. */
export const RULES: readonly Rule[] = [invalidNumber, numberType, numberVelocity, globalNumberVelocity];
