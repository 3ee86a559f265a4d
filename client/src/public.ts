import { ShieldBase } from './base.js';
import type { ShieldConnectionOptions } from './transport.js';
import type { Challenge, ChallengeRequest, DeviceRequest, IssuedDevice } from './types.js';

/**
 * The routes that take no key: health, the OpenAPI document, and the public routes the browser
 * SDK calls (proof-of-work challenges, device tokens), e.g. to test them from a server. With the
 * public edge on, the public routes answer only through the stack's `PublicEndpointUrl`, not `ApiUrl`.
 */
export class ShieldPublicClient extends ShieldBase {
  constructor(options: ShieldConnectionOptions) {
    super('ShieldPublicClient', options);
  }

  /** `GET /v1/challenge`: a proof-of-work challenge for a tenant. */
  challenge(request: ChallengeRequest): Promise<Challenge> {
    return this.call({ method: 'GET', path: '/v1/challenge', query: { tenant: request.tenant, level: request.level } }, false);
  }

  /** `POST /v1/device`: a signed device token for a fingerprint (post the previous `token` to renew it). */
  device(request: DeviceRequest): Promise<IssuedDevice> {
    return this.call({ method: 'POST', path: '/v1/device', body: request }, false);
  }
}
