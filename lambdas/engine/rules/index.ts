import type { Rule } from '../rule';
import { automationAgent } from './automation-agent';
import { browserAutomation } from './browser-automation';
import { countryBudget } from './country-budget';
import { countryBurstCap } from './country-burst-cap';
import { countryLowConversion } from './country-low-conversion';
import { countryMismatch } from './country-mismatch';
import { countryPolicy } from './country-policy';
import { countrySpike } from './country-spike';
import { countryUnverifiedBudget } from './country-unverified-budget';
import { datacenterIp } from './datacenter-ip';
import { hostingSignupBudget } from './hosting-signup-budget';
import { networkSpike } from './network-spike';
import { deviceManyAccounts } from './device-many-accounts';
import { deviceManyNumbers } from './device-many-numbers';
import { deviceMintVelocity } from './device-mint-velocity';
import { deviceToken } from './device-token';
import { deviceTokenNew } from './device-token-new';
import { deviceVelocity } from './device-velocity';
import { foreignDatacenter } from './foreign-datacenter';
import { globalNumberVelocity } from './global-number-velocity';
import { invalidNumber } from './invalid-number';
import { ipManyCountries } from './ip-many-countries';
import { ipManyNumbers } from './ip-many-numbers';
import { ipNotPublic } from './ip-not-public';
import { ipVelocity } from './ip-velocity';
import { jointDefenseCountry } from './joint-defense-country';
import { jointDefenseDevice } from './joint-defense-device';
import { jointDefenseIp } from './joint-defense-ip';
import { jointDefenseRange } from './joint-defense-range';
import { jointDefenseVictim } from './joint-defense-victim';
import { lists } from './lists';
import { missingDevice } from './missing-device';
import { newDevice } from './new-device';
import { newNetwork } from './new-network';
import { numberManyNetworks } from './number-many-networks';
import { numberManyTenants } from './number-many-tenants';
import { unfamiliarDeviceAndNetwork } from './unfamiliar-device-and-network';
import { numberType } from './number-type';
import { numberBackoff } from './number-backoff';
import { numberUnverified } from './number-unverified';
import { numberVelocity } from './number-velocity';
import { prefixAnomaly } from './prefix-anomaly';
import { rangeLowConversion } from './range-low-conversion';
import { rangeVelocity } from './range-velocity';
import { subnetVelocity } from './subnet-velocity';
import { unsignedDevice } from './unsigned-device';
import { virtualOperatorRange } from './virtual-operator-range';

/** Every rule the engine runs. Adding a rule: one file and one line here. */
export const RULES: readonly Rule[] = [
  // Phone identification and lists
  invalidNumber,
  numberType,
  virtualOperatorRange,
  countryPolicy,
  lists,
  // Velocity
  numberVelocity,
  numberBackoff,
  globalNumberVelocity,
  ipVelocity,
  subnetVelocity,
  deviceVelocity,
  ipManyNumbers,
  deviceManyNumbers,
  deviceManyAccounts,
  ipManyCountries,
  numberManyNetworks,
  numberManyTenants,
  // Pumping and conversion
  rangeVelocity,
  numberUnverified,
  rangeLowConversion,
  countryLowConversion,
  countrySpike,
  countryBurstCap,
  countryBudget,
  countryUnverifiedBudget,
  prefixAnomaly,
  // Joint defense: shared reputation promoted from every tenant's verdicts (and partner feeds)
  jointDefenseVictim,
  jointDefenseIp,
  jointDefenseDevice,
  jointDefenseRange,
  jointDefenseCountry,
  // Address location
  countryMismatch,
  datacenterIp,
  networkSpike,
  hostingSignupBudget,
  foreignDatacenter,
  ipNotPublic,
  // Client and account signals
  automationAgent,
  browserAutomation,
  missingDevice,
  deviceToken,
  deviceTokenNew,
  deviceMintVelocity,
  unsignedDevice,
  newDevice,
  newNetwork,
  unfamiliarDeviceAndNetwork,
];
