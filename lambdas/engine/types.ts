/** The domain types moved to `domain/types.ts`; this re-export keeps older import paths working. */
export * from '../domain/types';
