/**
 * Micro-benchmark of LocalGeoLookup: load time, memory, and µs per lookup over random public
 * addresses (IPv4, IPv6, IPv4-mapped).
 *
 * IPv6 addresses are drawn from announced ranges of the ASN CSV: random IPv6 addresses would
 * almost all fall in unannounced space (the CSV covers ~0.1% of 2000::/4).
 *
 *   npx tsx scripts/bench-geo.ts [count]      (default 200000)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadGeoLookup } from '../lambdas/adapters/geo/geo-lookup';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 200_000);
  const before = process.memoryUsage();
  const loadStarted = performance.now();
  const geo = await loadGeoLookup();
  const loadMs = performance.now() - loadStarted;
  const after = process.memoryUsage();
  const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
  console.log(
    `load ${loadMs.toFixed(0)} ms; +${mb(after.arrayBuffers - before.arrayBuffers)} buffers, ` +
      `+${mb(after.heapUsed - before.heapUsed)} heap, +${mb(after.rss - before.rss)} RSS`,
  );

  const random = (n: number): number => Math.floor(Math.random() * n);
  const csv = join(dirname(createRequire(import.meta.url).resolve('@ip-location-db/asn/package.json')), 'asn-ipv6-num.csv');
  const v6Ranges = readFileSync(csv, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(',', 2).map(BigInt) as [bigint, bigint]);
  const v6 = (): string => {
    const [start, end] = v6Ranges[random(v6Ranges.length)] ?? [0n, 0n];
    const offset = (BigInt(random(2 ** 30)) * BigInt(random(2 ** 30)) * 0x1_0000_0001n) % (end - start + 1n);
    const groups = (start + offset).toString(16).padStart(32, '0').match(/.{4}/g) ?? [];
    // Compressed like real client addresses: the longest run of zero groups becomes "::".
    const text = `:${groups.map((group) => group.replace(/^0+(?=.)/, '')).join(':')}:`;
    const runs = text.match(/(:0)+:/g) ?? [];
    const longest = runs.reduce((best, run) => (run.length > best.length ? run : best), '');
    return (longest.length > 3 ? text.replace(longest, '::') : text).replace(/^:(?!:)|(?<!:):$/g, '');
  };
  const v4 = (): string => {
    for (;;) {
      const first = 1 + random(223);
      if (first !== 10 && first !== 127 && first !== 100 && first !== 172 && first !== 192) {
        return `${first}.${random(256)}.${random(256)}.${random(256)}`;
      }
    }
  };
  const sets: Record<string, string[]> = {
    IPv4: Array.from({ length: count }, v4),
    IPv6: Array.from({ length: count }, v6),
    'IPv4-mapped': Array.from({ length: count }, () => `::ffff:${v4()}`),
  };

  let sink = 0;
  for (const [name, ips] of Object.entries(sets)) {
    for (const ip of ips.slice(0, 20_000)) sink += geo.lookup(ip).hosting ? 1 : 0; // warm up
    const started = performance.now();
    let known = 0;
    for (const ip of ips) {
      const info = geo.lookup(ip);
      if (info.asn !== undefined) known++;
      if (info.hosting) sink++;
    }
    const microseconds = ((performance.now() - started) * 1000) / ips.length;
    console.log(`${name.padEnd(12)} ${microseconds.toFixed(2)} µs/lookup over ${ips.length} (${((100 * known) / ips.length).toFixed(0)}% with an ASN)`);
  }
  if (sink < 0) console.log(sink);
}

await main();
