import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as difficulty from '../../lambdas/challenge/difficulty';
import { difficultyLevel, ISSUE_STEPS } from '../../lambdas/engine/challenge-level';

const engineDir = fileURLToPath(new URL('../../lambdas/engine', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the challenge level, where the engine can reach it', () => {
  it('is the one function the challenge routes use, exported by the engine', () => {
    expect(difficulty.difficultyLevel).toBe(difficultyLevel);
    expect(difficulty.ISSUE_STEPS).toBe(ISSUE_STEPS);
    // The same inputs give the same level, so the verdict can recompute what the fetcher was asked.
    expect(difficultyLevel({ hosting: true, agent: 'headless', issuedThisHour: 121, requested: 1 }, 4)).toBe(4);
    expect(difficultyLevel({ hosting: false, agent: 'browser', issuedThisHour: 1 }, 4)).toBe(1);
  });

  it('keeps the engine free of imports from lambdas/challenge/', () => {
    for (const file of sources(engineDir)) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/from '(\.\.\/)+challenge\//);
    }
  });
});
