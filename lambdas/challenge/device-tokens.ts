import { createHmac, timingSafeEqual } from 'node:crypto';
import { DEVICE_MARKERS, SERVER_DEVICE_MARKERS, SERVER_MARKER_BIT } from '../engine/device-markers';
import type { DeviceSignals } from '../domain/types';
import type { Clock } from '../ports/clock';

/**
 * Every device token starts with this. A `device` value that starts with `sdt<digits>.` is
 * judged as a token (and is invalid if it does not verify); anything else is a plain id.
 */
export const DEVICE_TOKEN_PREFIX = 'sdt';
/** The version issued: `sdt2.<device id>.<first seen>.<issued at>.<markers>.<signature>`. */
const VERSION = `${DEVICE_TOKEN_PREFIX}2`;
/** Tokens issued before tokens expired: `sdt1.<device id>.<first seen>.<markers>.<signature>`, read as expired. */
const LEGACY_VERSION = `${DEVICE_TOKEN_PREFIX}1`;
const TOKEN_SHAPED = /^sdt\d+\./;
const ID = /^[A-Za-z0-9_-]{22}$/;
const BASE36 = /^[0-9a-z]{1,12}$/;
/** Clock skew tolerated between the instance that issued a token and the one reading it. */
const FUTURE_SKEW_SECONDS = 300;
/** How long a token is valid after issue: the SDK renews it on every `protect()`. @see DeviceTokenOptions */
export const DEVICE_TOKEN_TTL_SECONDS = 7 * 86_400;
/** How long after issue an expired token still renews with its device id and first-seen time. */
export const DEVICE_TOKEN_RENEWAL_SECONDS = 180 * 86_400;
/**
 * Server markers stay on renewals while the device is younger than this: renewing right after a
 * burst does not wash `mint-burst` off, and a person whose first token came out of a burst on
 * their carrier's NAT is not marked for good.
 */
export const SERVER_MARKER_CARRY_SECONDS = 86_400;

export interface DeviceTokenOptions {
  /** Seconds a token is valid after issue. @default DEVICE_TOKEN_TTL_SECONDS (7 days) */
  readonly ttlSeconds?: number;
  /** Seconds after issue an expired token can still be renewed. @default DEVICE_TOKEN_RENEWAL_SECONDS (180 days) */
  readonly renewalSeconds?: number;
}

/** A token as `POST /v1/device` returns it. */
export interface IssuedDevice {
  /** `sdt2.<device id>.<first seen>.<issued at>.<markers>.<signature>` (times base36 epoch seconds, markers a base36 bit mask) */
  readonly token: string;
  /** 22 base64url characters; the same fingerprint always maps to the same id. */
  readonly deviceId: string;
  /** Epoch seconds the device was first seen. */
  readonly firstSeen: number;
  /** Epoch seconds after which the token is expired: post it as `token` to get a new one. */
  readonly expiresAt: number;
  /** The automation markers the token carries (what the client reported, or the shield saw). */
  readonly markers: readonly string[];
}

/** What the token says about the device, once its signature checked out. */
interface Authentic {
  readonly deviceId: string;
  readonly firstSeen: number;
  readonly markers: readonly string[];
  readonly serverMarkers: readonly string[];
}

/** What a `device` value turned out to be. */
export type DeviceReading =
  | ({ readonly kind: 'valid'; readonly issuedAt: number } & Authentic)
  /** Signed by this deployment but past its validity; `issuedAt` is absent for legacy `sdt1` tokens. */
  | ({ readonly kind: 'expired'; readonly issuedAt?: number } & Authentic)
  | { readonly kind: 'invalid' }
  | { readonly kind: 'unsigned' };

export interface DeviceTokenRequest {
  /** The SDK's fingerprint (FingerprintJS visitor id) or a native app's own stable id. */
  readonly fingerprint: string;
  /** Automation markers seen on the device; unknown names are ignored, server markers too. */
  readonly markers?: readonly string[];
  /**
   * The token the device holds from before: an authentic one (valid, or expired less than the
   * renewal horizon after issue) keeps its device id and first-seen time.
   */
  readonly previous?: string;
  /** Markers the shield itself adds (`SERVER_DEVICE_MARKERS`); never from the client's request. */
  readonly serverMarkers?: readonly string[];
}

/**
 * Signed device tokens: a compact, stateless binding of a device id to the time the shield
 * first saw it, the time it issued the token and the markers it carries, signed with
 * HMAC-SHA256 (128 bits). The device id is an HMAC of the fingerprint, so the same browser gets
 * the same id after clearing its storage, and ids are the same across tenants
 * (tenants-per-device counting). A token is valid for `ttlSeconds` after issue; the client
 * renews it by posting it back, which keeps its id and first-seen time.
 */
export class DeviceTokens {
  private readonly ttlSeconds: number;
  private readonly renewalSeconds: number;

  constructor(
    private readonly key: string,
    private readonly clock: Clock,
    options: DeviceTokenOptions = {},
  ) {
    if (key.length < 16) throw new Error('The device token key must be at least 16 characters long');
    this.ttlSeconds = options.ttlSeconds ?? DEVICE_TOKEN_TTL_SECONDS;
    this.renewalSeconds = Math.max(this.ttlSeconds, options.renewalSeconds ?? DEVICE_TOKEN_RENEWAL_SECONDS);
    if (!(this.ttlSeconds > 0)) throw new Error('DeviceTokenOptions.ttlSeconds must be positive');
  }

  issue(request: DeviceTokenRequest): IssuedDevice {
    const nowSeconds = this.nowSeconds();
    const previous = request.previous ? this.renewable(this.read(request.previous)) : undefined;
    const deviceId = previous?.deviceId ?? this.mac(`fp:${request.fingerprint}`).subarray(0, 16).toString('base64url');
    const firstSeen = previous?.firstSeen ?? nowSeconds;
    const carried = previous && nowSeconds - previous.firstSeen < SERVER_MARKER_CARRY_SECONDS ? previous.serverMarkers : [];
    const serverMarkers = [...(request.serverMarkers ?? []), ...carried];
    const mask =
      DEVICE_MARKERS.reduce((bits, marker, i) => (request.markers?.includes(marker) ? bits | (1 << i) : bits), 0) |
      SERVER_DEVICE_MARKERS.reduce((bits, marker, i) => (serverMarkers.includes(marker) ? bits | (1 << (SERVER_MARKER_BIT + i)) : bits), 0);
    const body = `${VERSION}.${deviceId}.${firstSeen.toString(36)}.${nowSeconds.toString(36)}.${mask.toString(36)}`;
    return { token: `${body}.${this.sign(body)}`, deviceId, firstSeen, expiresAt: nowSeconds + this.ttlSeconds, markers: markersOf(mask) };
  }

  /** Verify a `device` value. Never throws: a bad token is a signal, not an error. */
  read(value: string): DeviceReading {
    if (!TOKEN_SHAPED.test(value)) return { kind: 'unsigned' };
    if (value.length > 128) return INVALID;
    const parts = value.split('.');
    const version = parts[0];
    if (version === VERSION && parts.length === 6) {
      const [, deviceId, seen, issued, mask, signature] = parts as [string, string, string, string, string, string];
      if (!BASE36.test(issued)) return INVALID;
      const authentic = this.authentic(`${version}.${deviceId}.${seen}.${issued}.${mask}`, deviceId, seen, mask, signature);
      if (!authentic) return INVALID;
      const issuedAt = Number.parseInt(issued, 36);
      if (issuedAt > this.nowSeconds() + FUTURE_SKEW_SECONDS || authentic.firstSeen > issuedAt) return INVALID;
      return { kind: this.nowSeconds() - issuedAt > this.ttlSeconds ? 'expired' : 'valid', issuedAt, ...authentic };
    }
    if (version === LEGACY_VERSION && parts.length === 5) {
      const [, deviceId, seen, mask, signature] = parts as [string, string, string, string, string];
      const authentic = this.authentic(`${version}.${deviceId}.${seen}.${mask}`, deviceId, seen, mask, signature);
      if (!authentic || authentic.firstSeen > this.nowSeconds() + FUTURE_SKEW_SECONDS) return INVALID;
      // No issue time: never valid on a send, only good for renewal.
      return { kind: 'expired', ...authentic };
    }
    return INVALID;
  }

  /**
   * The id and signals for the engine. A valid token gives the id inside it; anything else,
   * an expired token included, gives the value itself: an expired token is not forged, so it
   * reads `expired` (judged like a plain id), never `invalid`.
   */
  signals(value: string): { device: string; signals: DeviceSignals } {
    const reading = this.read(value);
    if (reading.kind === 'valid') {
      return {
        device: reading.deviceId,
        signals: { token: 'valid', markers: reading.markers, firstSeen: reading.firstSeen, serverMarkers: reading.serverMarkers },
      };
    }
    return { device: value, signals: { token: reading.kind, markers: [] } };
  }

  /**
   * The reading a renewal may build on: a valid token, or an expired one issued less than the
   * renewal horizon ago (a legacy `sdt1` token, which has no issue time, by its first-seen time).
   */
  renewable(reading: DeviceReading): (Authentic & { readonly kind: 'valid' | 'expired' }) | undefined {
    if (reading.kind === 'valid') return reading;
    if (reading.kind !== 'expired') return undefined;
    return (reading.issuedAt ?? reading.firstSeen) >= this.nowSeconds() - this.renewalSeconds ? reading : undefined;
  }

  /** The signed fields of a token whose signature checks out, else undefined. */
  private authentic(body: string, deviceId: string, seen: string, mask: string, signature: string): Authentic | undefined {
    if (!ID.test(deviceId) || !BASE36.test(seen) || !BASE36.test(mask)) return undefined;
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const bits = Number.parseInt(mask, 36);
    return { deviceId, firstSeen: Number.parseInt(seen, 36), markers: markersOf(bits), serverMarkers: serverMarkersOf(bits) };
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  private sign(body: string): string {
    return this.mac(body).subarray(0, 16).toString('base64url');
  }

  private mac(value: string): Buffer {
    return createHmac('sha256', this.key).update(value).digest();
  }
}

const INVALID: DeviceReading = { kind: 'invalid' };

function markersOf(mask: number): string[] {
  return DEVICE_MARKERS.filter((_, i) => (mask & (1 << i)) !== 0);
}

function serverMarkersOf(mask: number): string[] {
  return SERVER_DEVICE_MARKERS.filter((_, i) => (mask & (1 << (SERVER_MARKER_BIT + i))) !== 0);
}
