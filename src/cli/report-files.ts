// Report files by extension.

import { PersonasError, assertUnreachable } from '../errors.js';
import type { ReportData } from '../report/report-data.js';
import { reportHtml } from '../report/html.js';
import { reportMarkdown } from '../report/markdown.js';
import { reportJson } from '../report/json.js';
import { reportText } from '../report/text.js';

export type ReportFormat = 'text' | 'md' | 'html' | 'json';

export function reportFormatFor(path: string): ReportFormat {
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext === 'html' || ext === 'htm') return 'html';
  if (ext === 'md' || ext === 'markdown') return 'md';
  if (ext === 'json') return 'json';
  if (ext === 'txt') return 'text';
  throw new PersonasError('BAD_OPTION', `cannot tell the report format of ${path}: expected a name ending in .html, .md, .json or .txt`);
}

export function renderReport(format: ReportFormat, data: ReportData): string {
  switch (format) {
    case 'html':
      return reportHtml(data);
    case 'md':
      return reportMarkdown(data);
    case 'json':
      return JSON.stringify(reportJson(data), null, 2) + '\n';
    case 'text':
      return reportText(data);
    default:
      return assertUnreachable(format, 'report format');
  }
}
