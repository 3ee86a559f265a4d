/** Prints how long importing the service and loading the GeoIP data takes in a fresh process (ms). */
const start = performance.now();
await import('../lambdas/handlers/compose');
const { loadGeoLookup } = await import('../lambdas/adapters/geo/geo-lookup');
await loadGeoLookup();
console.log((performance.now() - start).toFixed(0));
export {};
