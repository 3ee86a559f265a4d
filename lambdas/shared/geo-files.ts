/**
 * Where the GeoIP data files are: their names, the directory the Lambda layer puts them in and the
 * environment variable that points the adapter at them. Shared by the CDK construct (which builds
 * the layer and sets the variable at synth time) and the GeoIP adapter (which reads the files at
 * run time). Node built-ins only: the construct imports this without loading `maxmind` or any
 * other runtime dependency of the adapter.
 */
import { createRequire } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Environment variable naming a directory that holds every file of {@link GEO_LAYER_FILES} (Lambda: `/opt/geo`). */
export const GEO_DIR_ENV = 'SMS_SHIELD_GEO_DIR';

/** Where the data lives inside the Lambda layer (layers are mounted under `/opt`). */
export const LAMBDA_GEO_DIR = '/opt/geo';

/** The same directory relative to the root of the layer asset (`geo`): layers are mounted at `/opt`. */
export const LAYER_GEO_DIR = posix.relative('/opt', LAMBDA_GEO_DIR);

/** File names of the geo data, by role. */
export const GEO_DATA_FILES = {
  countryV4: 'geo-whois-asn-country-ipv4.mmdb',
  countryV6: 'geo-whois-asn-country-ipv6.mmdb',
  asn: 'asn.bin',
} as const;

/** Every file a geo data directory (e.g. the Lambda layer's `geo/` folder) must contain. */
export const GEO_LAYER_FILES: readonly string[] = Object.values(GEO_DATA_FILES);

/** The npm package that ships the country .mmdb files. */
const COUNTRY_PACKAGE = '@ip-location-db/geo-whois-asn-country-mmdb';

/** Thrown when a geo data file cannot be found, with a hint at how to get it. */
export class GeoDataMissingError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GeoDataMissingError';
  }
}

/** Absolute paths of the geo data files: `dataDir` (or `$SMS_SHIELD_GEO_DIR`) when given, else the repo defaults. */
export function resolveGeoDataFiles(dataDir: string | undefined = process.env[GEO_DIR_ENV] || undefined): Record<keyof typeof GEO_DATA_FILES, string> {
  if (dataDir) {
    return {
      countryV4: join(dataDir, GEO_DATA_FILES.countryV4),
      countryV6: join(dataDir, GEO_DATA_FILES.countryV6),
      asn: join(dataDir, GEO_DATA_FILES.asn),
    };
  }
  let countryDir: string;
  try {
    const requireFromHere = createRequire(import.meta.url);
    countryDir = dirname(requireFromHere.resolve(`${COUNTRY_PACKAGE}/package.json`));
  } catch (error) {
    throw new GeoDataMissingError(`Cannot find ${COUNTRY_PACKAGE}; run npm ci, or set ${GEO_DIR_ENV}`, { cause: error });
  }
  return {
    countryV4: join(countryDir, GEO_DATA_FILES.countryV4),
    countryV6: join(countryDir, GEO_DATA_FILES.countryV6),
    asn: fileURLToPath(new URL(`../../data/geo/${GEO_DATA_FILES.asn}`, import.meta.url)),
  };
}
