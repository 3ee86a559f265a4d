/**
 * Cold init, as Lambda pays it: evaluating the service's modules and reading the GeoIP data in
 * a fresh process. Prints milliseconds since the process started (Node's own start included,
 * as in a Lambda init). `npm run bench` runs it as a bundle, the form Lambda evaluates.
 */
await import('../lambdas/handlers/compose');
const { loadGeoLookup } = await import('../lambdas/adapters/geo/geo-lookup');
await loadGeoLookup();
console.log(performance.now().toFixed(0));
export {};
