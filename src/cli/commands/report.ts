// personas report: re-render a saved model's report in another format.

import { Command, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import type { Io } from '../io.js';
import { parseModel } from '../../model/model.js';
import { asReadError } from '../../node/file-source.js';
import { writeFileAtomic } from '../files.js';
import { renderReport, reportFormatFor, type ReportFormat } from '../report-files.js';

export function reportCommand(io: Io): Command {
  return new Command('report')
    .description("render a saved model's personas as a report")
    .requiredOption('--model <file.json>', 'the model saved by personas fit --model')
    .addOption(new Option('--format <format>', 'report format (default: from --out, else text)').choices(['text', 'md', 'html', 'json']))
    .option('--out <file>', 'write the report to this file instead of stdout')
    .option('--json', 'the JSON report on stdout (as --format json)')
    .action(async (o: { model: string; format?: ReportFormat; out?: string; json?: boolean }) => {
      const format: ReportFormat = o.json ? 'json' : o.format ?? (o.out ? reportFormatFor(o.out) : 'text');
      const model = await loadModel(o.model);
      const text = renderReport(format, { model });
      if (o.out) await writeFileAtomic(o.out, [text]);
      else io.stdout(text);
    });
}

export async function loadModel(path: string) {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw asReadError(error, path);
  }
  return parseModel(text, path);
}
