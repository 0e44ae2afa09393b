/** The priming stages in the order they run (prime-process.ts says what each fills). */
export const PRIME_STAGES = ['cards', 'names', 'text', 'scanner'] as const;
export type PrimeStage = (typeof PRIME_STAGES)[number];
