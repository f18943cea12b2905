// Which transform should be the default? Persona recovery (ARI against the planted personas, over
// active users who are not outliers) on gen_personas data and the demo CRM, for every transform and
// both losses; and, on the real data sets (no ground truth), stability across random starts.
//   for s in 1 2 3; do /usr/bin/python3 bench/make_data.py --users 100000 --seed $s --out bench/data/t100k-s$s; done
//   /usr/bin/python3 bench/make_data.py --users 30000 --k 4 --seed 4 --out bench/data/t30k-k4
//   /usr/bin/python3 bench/make_data.py --users 30000 --k 10 --seed 5 --out bench/data/t30k-k10
//   npm run bench -- transforms
import { existsSync, readFileSync } from 'node:fs';
import { adjustedRandIndex, discoverPersonas, generateCrmDemo, ingestEvents, TRANSFORMS, type CountMatrix, type TransformName } from '../src/index.js';
import { nodeSource } from '../src/node/file-source.js';
import { fromRoot, writeJson } from './harness.js';

const FITS = [{ solver: 'hals', loss: 'frobenius' }, { solver: 'mu', loss: 'kl' }] as const;

export async function main() {
  const results: Record<string, unknown>[] = [];
  const synthetic: { name: string; counts: CountMatrix; labels: Int32Array; k: number }[] = [];
  for (const name of ['t100k-s1', 't100k-s2', 't100k-s3', 't30k-k4', 't30k-k10']) {
    const path = fromRoot('bench', 'data', name);
    if (!existsSync(`${path}.counts.f32`)) { console.error(`skipping ${name}: make it with bench/make_data.py`); continue; }
    const meta = JSON.parse(readFileSync(`${path}.json`, 'utf8'));
    const bytes = readFileSync(`${path}.counts.f32`), lab = readFileSync(`${path}.labels.i32`);
    synthetic.push({
      name: `gen_personas ${meta.rows / 1000}k k=${meta.k} seed ${meta.seed}`, k: meta.k,
      counts: { format: 'dense', rows: meta.rows, cols: meta.cols, data: new Float32Array(bytes.buffer, bytes.byteOffset, meta.rows * meta.cols).slice() },
      labels: new Int32Array(lab.buffer, lab.byteOffset, meta.rows).slice(),
    });
  }
  for (const seed of [1, 2, 3]) {
    const d = generateCrmDemo({ seed });
    synthetic.push({ name: `demo CRM 20k seed ${seed}`, k: 7, counts: { format: 'dense', rows: d.users.length, cols: d.events.length, data: d.counts },
      labels: Int32Array.from(d.planted, (p, u) => (d.kind[u] === 'active' ? p : -1)) });
  }
  console.log('| data | fit | ' + TRANSFORMS.join(' | ') + ' |');
  console.log('|---|---|' + TRANSFORMS.map(() => '---:').join('|') + '|');
  const totals: Record<string, number[]> = {};
  for (const s of synthetic) {
    for (const f of FITS) {
      const cells: string[] = [];
      for (const t of TRANSFORMS) {
        const r = await discoverPersonas(s.counts, [], { k: s.k, transform: t, solver: f.solver, loss: f.loss, seed: 0 });
        const ari = adjustedRandIndex(r.assignment.persona, s.labels);
        (totals[`${f.solver}/${f.loss} ${t}`] ??= []).push(ari);
        results.push({ data: s.name, fit: `${f.solver}/${f.loss}`, transform: t, ari, iterations: r.fit.iterations });
        cells.push(ari.toFixed(3));
      }
      console.log(`| ${s.name} | ${f.solver}/${f.loss} | ${cells.join(' | ')} |`);
    }
  }
  console.log('\nmean ARI over the synthetic sets:');
  for (const [key, v] of Object.entries(totals)) console.log(`  ${key}: ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(3)} (min ${Math.min(...v).toFixed(3)})`);

  // Real data: stability of personas across random starts (mean pairwise ARI over 5 seeds) and the
  // smallest persona's share.
  console.log('\n| data set | k | fit | transform | stability (mean ARI between 5 random starts) | smallest persona | relative error |');
  console.log('|---|---:|---|---|---:|---:|---:|');
  const real = [['stackexchange-quantumcomputing', 6], ['oulad-vle', 6], ['msweb-uci', 8]] as const;
  for (const [name, k] of real) {
    const file = fromRoot('data', name, existsSync(fromRoot('data', name, 'events.csv.gz')) ? 'events.csv.gz' : 'events.csv');
    const input = await ingestEvents(await nodeSource(file));
    for (const f of FITS) {
      for (const t of TRANSFORMS) {
        const runs = [];
        for (let seed = 0; seed < 5; seed++) runs.push(await discoverPersonas(input.counts, input.events, { k, transform: t as TransformName, solver: f.solver, loss: f.loss, init: 'random', seed, maxIter: 500 }));
        const aris: number[] = [];
        for (let a = 0; a < runs.length; a++) for (let b = a + 1; b < runs.length; b++) aris.push(adjustedRandIndex(runs[a]!.assignment.persona, runs[b]!.assignment.persona));
        const stability = aris.reduce((x, y) => x + y, 0) / aris.length;
        const smallest = Math.min(...runs[0]!.personas.map((p) => p.share));
        results.push({ data: name, k, fit: `${f.solver}/${f.loss}`, transform: t, stability, smallest, relativeError: runs[0]!.fit.relativeError });
        console.log(`| ${name} | ${k} | ${f.solver}/${f.loss} | ${t} | ${stability.toFixed(3)} | ${(100 * smallest).toFixed(1)} % | ${runs[0]!.fit.relativeError.toFixed(3)} |`);
      }
    }
  }
  writeJson(fromRoot('bench', 'results', `transforms-${Date.now()}.json`), results);
}
