import { constants, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AssetHashType } from 'aws-cdk-lib';
import { Architecture, Code, LayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { LAYER_GEO_DIR, resolveGeoDataFiles } from '../lambdas/shared/geo-files.js';

/**
 * The GeoIP layer: the country .mmdb files and the ASN table under `geo/` (`/opt/geo` at run
 * time), from the paths {@link geoDataFiles} checked.
 */
export function buildGeoLayer(scope: Construct, files: readonly string[]): LayerVersion {
  return new LayerVersion(scope, 'GeoLayer', {
    description: 'SMS Shield GeoIP data: country (ip-location-db, CC0) and ASN table (derived from @ip-location-db/asn)',
    code: geoLayerCode(files),
    compatibleRuntimes: [Runtime.NODEJS_22_X],
    compatibleArchitectures: [Architecture.ARM_64],
  });
}

/**
 * Local paths of the geo data files; throws, naming the command to run, when one is missing.
 * They honour `SMS_SHIELD_GEO_DIR` at synth time too, so a deployment can ship its own copy of
 * the data.
 */
export function geoDataFiles(): string[] {
  let files: string[];
  try {
    files = Object.values(resolveGeoDataFiles());
  } catch (error) {
    throw new Error(`SmsShield needs the geo data for its layer: run \`npm ci\`, then \`npm run build:geo-data\``, {
      cause: error,
    });
  }
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `SmsShield needs the geo data for its layer, but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} ` +
        'missing: run `npm run build:geo-data` (it builds data/geo/asn.bin; `npm ci` installs the .mmdb files)',
    );
  }
  return files;
}

/**
 * The layer asset: exactly the files of `GEO_LAYER_FILES`, copied under `geo/` at synth time (no Docker;
 * the local bundler always succeeds or throws). Hashed by output, so a data update is a new layer version.
 */
function geoLayerCode(files: readonly string[]): Code {
  return Code.fromAsset(dirname(files[0]!), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: Runtime.NODEJS_22_X.bundlingImage, // required by the type; never run, local bundling handles it
      local: {
        tryBundle(outputDir: string): boolean {
          const target = join(outputDir, LAYER_GEO_DIR);
          mkdirSync(target, { recursive: true });
          for (const file of files) copyFileSync(file, join(target, basename(file)), constants.COPYFILE_FICLONE);
          return true;
        },
      },
    },
  });
}
