import { constants, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AssetHashType } from 'aws-cdk-lib';
import { Architecture, Code, LayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { GEO_DIR_ENV, GEO_LAYER_FILES, LAYER_GEO_DIR, resolveGeoDataFiles } from '../lambdas/shared/geo-files.js';
import { GEO_LAYER_BUILD_DIR } from '../lambdas/shared/lambda-bundles.js';
import { buildOutputDir } from './lambda-defaults.js';

/**
 * Where the layer's data comes from: the files of `$SMS_SHIELD_GEO_DIR` when it is set at synth
 * time (a deployment shipping its own copy of the data), else the copy `npm run build` put in
 * the package (`dist/geo-layer/geo/`).
 */
export type GeoLayerSource = { readonly files: readonly string[] } | { readonly prebuiltDir: string };

/**
 * The GeoIP layer: the country .mmdb files and the ASN table under `geo/` (`/opt/geo` at run
 * time), from the source {@link geoLayerSource} checked.
 */
export function buildGeoLayer(scope: Construct, source: GeoLayerSource): LayerVersion {
  return new LayerVersion(scope, 'GeoLayer', {
    description: 'SMS Shield GeoIP data: country (ip-location-db, CC0) and ASN table (derived from @ip-location-db/asn)',
    code: 'prebuiltDir' in source ? Code.fromAsset(source.prebuiltDir) : copiedFilesCode(source.files),
    compatibleRuntimes: [Runtime.NODEJS_22_X],
    compatibleArchitectures: [Architecture.ARM_64],
  });
}

/** The layer's data, checked: throws, naming the command to run, when a file is missing. */
export function geoLayerSource(): GeoLayerSource {
  const ownDir = process.env[GEO_DIR_ENV];
  if (ownDir) return { files: checkedFiles(Object.values(resolveGeoDataFiles(ownDir)), `${GEO_DIR_ENV}=${ownDir}`) };
  const prebuiltDir = join(buildOutputDir(), GEO_LAYER_BUILD_DIR);
  checkedFiles(
    GEO_LAYER_FILES.map((file) => join(prebuiltDir, LAYER_GEO_DIR, file)),
    'the package build',
  );
  return { prebuiltDir };
}

function checkedFiles(files: readonly string[], from: string): readonly string[] {
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length === 0) return files;
  throw new Error(
    `SmsShield needs the geo data for its layer, but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing (from ${from}): ` +
      'run `npm run build` in the sms-shield package (`npm run build:geo-data` rebuilds data/geo/asn.bin first), or point ' +
      `${GEO_DIR_ENV} at a folder holding ${GEO_LAYER_FILES.join(', ')}`,
  );
}

/**
 * Your own data files, copied under `geo/` at synth time (no Docker; the local bundler always
 * succeeds or throws). Hashed by output, so a data update is a new layer version.
 */
function copiedFilesCode(files: readonly string[]): Code {
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
