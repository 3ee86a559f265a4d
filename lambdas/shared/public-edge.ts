/** What the public routes and the construct that deploys them agree on: paths and edge headers. */

/**
 * The public routes (method and path): the browser calls them without a key. The CDK construct
 * gives each its own API Gateway route and throttle, so this list is also what it deploys.
 */
export const PUBLIC_ROUTES: readonly { readonly method: 'GET' | 'POST' | 'OPTIONS'; readonly path: string }[] = [
  { method: 'GET', path: '/v1/challenge' },
  { method: 'OPTIONS', path: '/v1/challenge' },
  { method: 'POST', path: '/v1/device' },
  { method: 'OPTIONS', path: '/v1/device' },
];

/**
 * The header the public edge (CloudFront) adds to every request it forwards, holding the origin
 * secret. CloudFront overwrites a viewer's header of the same name, so only the edge can set it.
 */
export const ORIGIN_SECRET_HEADER = 'x-sms-shield-origin-secret';

/**
 * The viewer's address and source port as CloudFront saw the connection (`198.51.100.7:41234`,
 * `2001:db8::7:41234`), sent when the edge's origin request policy asks for it. Anyone can send a
 * header of that name straight to the API, so it is believed only next to the origin secret.
 */
export const VIEWER_ADDRESS_HEADER = 'cloudfront-viewer-address';
