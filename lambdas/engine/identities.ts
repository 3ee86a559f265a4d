import type { SendAttempt } from '../domain/types';
import type { GeoInfo } from '../ports/geo';
import type { Hasher } from './hasher';
import type { IpAddress } from './ip';

/** What is known about a missing or unreadable address. */
export const NO_GEO: GeoInfo = { kind: 'reserved', hosting: false };

/** The hashed device and account of an attempt, and its network. */
export interface AttemptIdentities {
  readonly deviceHash?: string;
  readonly accountHash?: string;
  /** `as<asn>`, else the /24 or /64, for public addresses only. */
  readonly network?: string;
}

/**
 * The device an attempt is counted and listed as: the id inside a verified device token, or a
 * plain (caller-chosen) value in a namespace of its own. Anyone can send any plain value, so a
 * plain id equal to a verified device's id must neither use that device's allow entries nor run
 * up its counters or its shared reputation.
 */
export function deviceIdentity(attempt: SendAttempt): string | undefined {
  if (!attempt.device) return undefined;
  return attempt.deviceSignals?.token === 'valid' ? attempt.device : `plain:${attempt.device}`;
}

/** For a plain id: the key of list entries written for the same id as a verified device (block entries still apply). */
export function plainDeviceBlockKey(hasher: Hasher, attempt: SendAttempt): string | undefined {
  if (!attempt.device || attempt.deviceSignals?.token === 'valid') return undefined;
  return hasher(`device:${attempt.device}`);
}

/** The keyed hashes of an attempt's address and of its network, as its counters key them. */
export interface AddressHashes {
  /** Of `ip:<address>`; of `ip:non-public` for every non-public address. */
  readonly ip: string;
  /** Of `net:<subnet>` (the /24 or /64); of `net:non-public` for every non-public address. */
  readonly subnet: string;
}

/**
 * Every non-public address of a tenant (private, reserved: usually its proxy's, or a value
 * chosen to dodge the limits) counts as one shared address and network. Computed once per
 * verdict: the counters, the number's recent networks, its live networks and shared
 * reputation all key on these.
 */
export function addressHashes(hasher: Hasher, ip: IpAddress, geo: GeoInfo): AddressHashes {
  const shared = geo.kind !== 'public';
  return { ip: hasher(shared ? 'ip:non-public' : `ip:${ip.address}`), subnet: hasher(shared ? 'net:non-public' : `net:${ip.subnet}`) };
}

/**
 * The hashed device and account of an attempt, and its network (ASN, else subnet, for public
 * IPs): the same in a full verdict and a stateless one, so a pending code means one thing.
 */
export function identities(hasher: Hasher, attempt: SendAttempt, ip: IpAddress | undefined, geo: GeoInfo): AttemptIdentities {
  const device = deviceIdentity(attempt);
  return {
    deviceHash: device ? hasher(`device:${device}`) : undefined,
    accountHash: attempt.account ? hasher(`account:${attempt.tenant}:${attempt.account}`) : undefined,
    network: ip && geo.kind === 'public' ? (geo.asn !== undefined ? `as${geo.asn}` : ip.subnet) : undefined,
  };
}
