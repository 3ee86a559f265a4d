/**
 * Everything the traffic simulator knows about the world, re-exported from `profiles/`: the
 * traffic classes' parameters (`sim-config.ts`), number plans and generators, IP pools, user
 * agents and device tokens. Kept so that `profiles` imports (e.g. `bench/load.ts`) still work;
 * new code imports the module it needs.
 */
export * from './profiles/sim-config';
export * from './profiles/time-of-day';
export * from './profiles/number-plans';
export * from './profiles/phone-numbers';
export * from './profiles/number-formats';
export * from './profiles/junk-numbers';
export * from './profiles/ip-pools';
export * from './profiles/addresses';
export * from './profiles/user-agents';
export * from './profiles/device-ids';
