import { describe, expect, it } from 'vitest';
import { parseSections, SECTIONS } from '../../bench/sections';

describe('npm run bench --only', () => {
  it('runs every section without arguments', () => {
    expect([...parseSections([])]).toEqual([...SECTIONS]);
  });

  it('picks sections by name, comma-separated, repeated or with =', () => {
    expect([...parseSections(['--only', 'replay'])]).toEqual(['replay']);
    expect([...parseSections(['--only', 'engine,replay'])]).toEqual(['engine', 'replay']);
    expect([...parseSections(['--only=dynamo', '--only', 'init'])]).toEqual(['dynamo', 'init']);
  });

  it('names the sections when given an unknown one, a missing value or another argument', () => {
    expect(() => parseSections(['--only', 'replays'])).toThrow(/unknown section "replays".*engine, replay, local, dynamo, bundles, init/);
    expect(() => parseSections(['--only'])).toThrow(/--only needs one or more of/);
    expect(() => parseSections(['--only='])).toThrow(/--only needs one or more of/);
    expect(() => parseSections(['replay'])).toThrow(/unknown argument "replay"/);
  });
});
