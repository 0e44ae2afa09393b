import { test } from 'vitest';
import { loadCatalog } from '../src/catalog/load.js';
import { SearchIndex } from '../src/search/index.js';
test('smoke', () => {
  let t = performance.now();
  const cat = loadCatalog('/work/shared/corpus/etda-cards', { cacheDir: false });
  console.log('load', performance.now() - t, cat.cards.length, cat.issues.filter(i=>i.level==='error'), cat.issues.filter(i=>i.level==='warning').length);
  t = performance.now();
  const idx = new SearchIndex(cat);
  console.log('index', performance.now() - t);
  for (const q of ['hammer panda', 'APT21', 'ＡＰＴ２１', 'a\u200bpt\u201121', 'apt-21', 'hammer', 'panda', 'Iridium', 'hamer pnda', 'zzzxq', 'ransomware', 'country:china sector:"oil and gas"', 'tool:plugx since:2019', 'temp.zhenbao', 'lazarus', 'apt', 'motivation:financial']) {
    const a = idx.search(q);
    console.log(q, '=>', a.outcome, a.results.slice(0, 4).map(r => `${r.name}:${r.score}`).join(' | '), a.results.length, a.suggestions.map(s=>s.name), a.errors);
  }
});
