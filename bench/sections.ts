/** The sections of `npm run bench`, in the order they run. */
export const SECTIONS = ['engine', 'replay', 'local', 'dynamo', 'bundles', 'init'] as const;
export type Section = (typeof SECTIONS)[number];

const USAGE = `usage: npm run bench [-- --only ${SECTIONS.join(',')}]`;

/**
 * `--only replay` or `--only engine,replay` (repeatable) runs just those sections; no argument,
 * all of them. Anything else is an error that names the sections.
 */
export function parseSections(argv: readonly string[]): ReadonlySet<Section> {
  const picked = new Set<Section>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    let value: string | undefined;
    if (arg === '--only') value = argv[++i];
    else if (arg.startsWith('--only=')) value = arg.slice('--only='.length);
    else throw new Error(`unknown argument ${JSON.stringify(arg)}; ${USAGE}`);
    if (value === undefined || value === '') throw new Error(`--only needs one or more of: ${SECTIONS.join(', ')}`);
    for (const name of value.split(',')) {
      if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`--only: unknown section ${JSON.stringify(name)}; sections: ${SECTIONS.join(', ')}`);
      picked.add(name as Section);
    }
  }
  return picked.size === 0 ? new Set(SECTIONS) : picked;
}
