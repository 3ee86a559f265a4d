import { createHmac, timingSafeEqual } from 'node:crypto';
import { DEVICE_MARKERS } from '../engine/device-markers';
import type { DeviceSignals } from '../engine/types';
import type { Clock } from '../ports/clock';

/**
 * Every device token starts with this. A `device` value that starts with `sdt<digits>.` is
 * judged as a token (and is invalid if it does not verify); anything else is a plain id.
 */
export const DEVICE_TOKEN_PREFIX = 'sdt';
const VERSION = `${DEVICE_TOKEN_PREFIX}1`;
const TOKEN_SHAPED = /^sdt\d+\./;
const ID = /^[A-Za-z0-9_-]{22}$/;
const BASE36 = /^[0-9a-z]{1,12}$/;
/** Clock skew tolerated between the instance that issued a token and the one reading it. */
const FUTURE_SKEW_SECONDS = 300;

/** A token as `POST /v1/device` returns it. */
export interface IssuedDevice {
  /** `sdt1.<device id>.<first seen, base36>.<markers, base36 bit mask>.<signature>` */
  readonly token: string;
  /** 22 base64url characters; the same fingerprint always maps to the same id. */
  readonly deviceId: string;
  /** Epoch seconds the device was first seen. */
  readonly firstSeen: number;
  readonly markers: readonly string[];
}

/** What a `device` value turned out to be. */
export type DeviceReading =
  | { readonly kind: 'valid'; readonly deviceId: string; readonly firstSeen: number; readonly markers: readonly string[] }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'unsigned' };

export interface DeviceTokenRequest {
  /** The SDK's fingerprint (FingerprintJS visitor id) or a native app's own stable id. */
  readonly fingerprint: string;
  /** Automation markers seen on the device; unknown names are ignored. */
  readonly markers?: readonly string[];
  /** The token the device holds from before: a valid one keeps its device id and first-seen time. */
  readonly previous?: string;
}

/**
 * Signed device tokens: a compact, stateless binding of a device id to the time the shield
 * first saw it and the automation markers it reported, signed with HMAC-SHA256 (128 bits).
 * The device id is an HMAC of the fingerprint, so the same browser gets the same id after
 * clearing its storage, and ids are the same across tenants (tenants-per-device counting).
 */
export class DeviceTokens {
  constructor(
    private readonly key: string,
    private readonly clock: Clock,
  ) {
    if (key.length < 16) throw new Error('The device token key must be at least 16 characters long');
  }

  issue(request: DeviceTokenRequest): IssuedDevice {
    const nowSeconds = Math.floor(this.clock.now() / 1000);
    const previous = request.previous ? this.read(request.previous) : undefined;
    const deviceId = previous?.kind === 'valid' ? previous.deviceId : this.mac(`fp:${request.fingerprint}`).subarray(0, 16).toString('base64url');
    const firstSeen = previous?.kind === 'valid' ? previous.firstSeen : nowSeconds;
    const mask = DEVICE_MARKERS.reduce((bits, marker, i) => (request.markers?.includes(marker) ? bits | (1 << i) : bits), 0);
    const body = `${VERSION}.${deviceId}.${firstSeen.toString(36)}.${mask.toString(36)}`;
    return { token: `${body}.${this.sign(body)}`, deviceId, firstSeen, markers: markersOf(mask) };
  }

  /** Verify a `device` value. Never throws: a bad token is a signal, not an error. */
  read(value: string): DeviceReading {
    if (!TOKEN_SHAPED.test(value)) return { kind: 'unsigned' };
    const parts = value.split('.');
    if (parts.length !== 5 || value.length > 128) return { kind: 'invalid' };
    const [version, deviceId, seen, mask, signature] = parts as [string, string, string, string, string];
    if (version !== VERSION || !ID.test(deviceId) || !BASE36.test(seen) || !BASE36.test(mask)) return { kind: 'invalid' };
    const expected = Buffer.from(this.sign(`${version}.${deviceId}.${seen}.${mask}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { kind: 'invalid' };
    const firstSeen = Number.parseInt(seen, 36);
    if (firstSeen > Math.floor(this.clock.now() / 1000) + FUTURE_SKEW_SECONDS) return { kind: 'invalid' };
    return { kind: 'valid', deviceId, firstSeen, markers: markersOf(Number.parseInt(mask, 36)) };
  }

  /** The device id and signals for the engine: the id inside a valid token, the value itself otherwise. */
  signals(value: string): { device: string; signals: DeviceSignals } {
    const reading = this.read(value);
    if (reading.kind === 'valid') {
      return { device: reading.deviceId, signals: { token: 'valid', markers: reading.markers, firstSeen: reading.firstSeen } };
    }
    return { device: value, signals: { token: reading.kind, markers: [] } };
  }

  private sign(body: string): string {
    return this.mac(body).subarray(0, 16).toString('base64url');
  }

  private mac(value: string): Buffer {
    return createHmac('sha256', this.key).update(value).digest();
  }
}

function markersOf(mask: number): string[] {
  return DEVICE_MARKERS.filter((_, i) => (mask & (1 << i)) !== 0);
}
