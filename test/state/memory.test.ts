import { describe } from 'vitest';
import { MemoryStore } from '../../src/state/memory.js';
import { storeContract } from './contract.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('MemoryStore', () => {
  storeContract(() => new MemoryStore(), sleep);
});
