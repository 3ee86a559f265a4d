/**
 * User-agent classification cost on adversarial agents of 1, 8 and 64 KB: µs per call of
 * `classifyAgent` (which looks at the first 1 KB only), of its patterns run over the whole agent
 * (linear: about 8× per 8× length), and of the previous BROWSER pattern (quadratic: about 64×).
 *
 *   npx tsx bench/user-agent-bench.ts
 *
 * Not a test: timings depend on the machine; test/engine/user-agent.test.ts checks the answers.
 */
import { AGENT_PATTERNS, classifyAgent } from '../lambdas/engine/user-agent';

const SIZES = [1024, 8 * 1024, 64 * 1024];

const CURRENT = Object.values(AGENT_PATTERNS);
const OLD_BROWSER = /^Mozilla\/5\.0 \(.+\) .*(?:Gecko|AppleWebKit)/;

/**
 * Adversarial shapes; each row reports the slowest. The first is the worst for the old pattern:
 * every ") " is a place where `.+` may end, and no engine token follows.
 */
const SHAPES: readonly ((size: number) => string)[] = [
  (size) => `Mozilla/5.0 (${') '.repeat(size)}`.slice(0, size),
  (size) => `Mozilla/5.0 (${') x'.repeat(size)}`.slice(0, size),
  (size) => 'a'.repeat(size), // word characters: every position is a word boundary candidate
  (size) => `${`a/${'a.'.repeat(size)}`.slice(0, size - 2)} (`,
  (size) => 'bo '.repeat(size).slice(0, size),
];

/** µs per call of `run` on the shape of `size` characters that costs most. */
function slowest(size: number, run: (ua: string) => unknown): number {
  return Math.max(...SHAPES.map((shape) => shape(size)).map((ua) => microsecondsPerCall(() => run(ua))));
}

function microsecondsPerCall(run: () => unknown, budgetMs = 200): number {
  run(); // warm up
  let calls = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    run();
    calls++;
    elapsed = performance.now() - started;
  } while (elapsed < budgetMs);
  return (elapsed * 1000) / calls;
}

const format = (us: number) => (us >= 1000 ? `${(us / 1000).toFixed(1)} ms` : `${us.toFixed(1)} µs`);
let sink = 0;
const rows = SIZES.map((size) => [
  `${size / 1024} KB`,
  format(slowest(size, (ua) => classifyAgent(ua))),
  format(
    slowest(size, (ua) => {
      for (const pattern of CURRENT) sink += pattern.test(ua) ? 1 : 0;
    }),
  ),
  format(slowest(size, (ua) => (sink += OLD_BROWSER.test(ua) ? 1 : 0))),
]);
console.log('| agent | classifyAgent (first 1 KB) | its patterns, whole agent | old BROWSER pattern, whole agent |');
console.log('| --- | ---: | ---: | ---: |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
if (sink < 0) console.log(sink);
