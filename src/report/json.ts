// The JSON report (../shared/CLI.md, `--json` of fit, demo and report).

import type { ReportData } from './report-data.js';
import { surveyJson } from './survey.js';

export function reportJson(d: ReportData) {
  const m = d.model;
  const s = d.input;
  return {
    input: {
      ...(s ?? {}),
      source: s?.source ?? m.input.source,
      users: s?.users ?? m.input.users,
      usersWithoutSelectedEvents: s?.usersWithoutSelectedEvents ?? m.input.usersSetAside,
      events: m.events,
      rows: s?.rowsRead ?? m.input.rows,
      skipped: s?.skipped ?? {},
    },
    k: m.k,
    transform: m.transform,
    fit: {
      ...m.fit,
      simd: d.run?.simd,
      threads: d.run?.threads,
      timings: d.run?.timings,
    },
    personas: m.personas,
    ...(m.outcomes ? { outcomes: m.outcomes } : {}),
    ...((d.survey ?? m.survey) ? { selectK: surveyJson((d.survey ?? m.survey)!) } : {}),
    ...(m.lineage ? { lineage: m.lineage } : {}),
    ...(m.sample ? { sample: m.sample } : {}),
    ...(m.miniBatch ? { miniBatch: m.miniBatch } : {}),
  };
}
