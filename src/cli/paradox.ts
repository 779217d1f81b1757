#!/usr/bin/env node
// Before anything with decorators loads: Nest's injectable classes read design types at import.
import 'reflect-metadata';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AnalysisModels } from '../analysis/analysis-models.js';
import { AnalysisService } from '../analysis/analysis.service.js';
import { STARTER_MODEL_FILE } from '../analysis/model/model-file.js';
import { loadDatasets } from '../analysis/training/datasets.js';
import { evaluate, formatEval } from '../analysis/training/evaluate.js';
import { trainStarterModel, writeModel } from '../analysis/training/train-starter.js';
import { packageRoot } from '../common/package-root.js';
import { classify } from './classify.js';
import { USER_CREATE_USAGE, userCreate } from './user-create.js';

// ../shared beside the project, read where it lies and never copied in.
const DEFAULT_DATASETS = join(packageRoot(import.meta.url), '..', 'shared', 'datasets');

const USAGE = `usage:
  paradox classify [--input FILE] [--output FILE] [--model FILE]   JSONL {"id","text","lang"?} in, analysis out
  paradox train [--datasets DIR] [--output FILE]                   train the starter model
  paradox eval [--datasets DIR] [--model FILE]                     score the model on the held-out posts
${USER_CREATE_USAGE.replace('usage:\n', '')}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // Opens the configured database, as the app does (the config file, DATABASE_URL, ./data).
  if (command === 'user:create') return userCreate(rest, { cwd: process.cwd(), stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
  const { values } = parseArgs({
    args: rest,
    options: {
      input: { type: 'string' },
      output: { type: 'string' },
      model: { type: 'string' },
      datasets: { type: 'string' },
    },
    strict: true,
  });
  const service = () => new AnalysisService(AnalysisModels.fromFile(values.model ?? STARTER_MODEL_FILE));
  switch (command) {
    case 'classify':
      return classify(service(), { input: values.input, output: values.output }, process.stdin, process.stdout, process.stderr);
    case 'train': {
      const started = Date.now();
      const output = values.output ?? STARTER_MODEL_FILE;
      const report = trainStarterModel(values.datasets ?? DEFAULT_DATASETS, `starter-${new Date().toISOString().slice(0, 10)}`);
      writeModel(output, report);
      process.stdout.write(`wrote ${output} in ${((Date.now() - started) / 1000).toFixed(1)} s\n${JSON.stringify(report.about, null, 2)}\n`);
      return 0;
    }
    case 'eval': {
      const rows = evaluate(loadDatasets(values.datasets ?? DEFAULT_DATASETS), service());
      process.stdout.write(`Held-out posts only (fixed split by id, src/analysis/training/datasets.ts).\n\n${formatEval(rows)}\n`);
      return 0;
    }
    default:
      process.stderr.write(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`paradox: ${error.message}\n`);
    process.exitCode = 1;
  },
);
