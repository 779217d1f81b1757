import { readFileSync } from 'node:fs';
import { AnalysisModels } from '/work/main/dist/analysis/analysis-models.js';
import { AnalysisService } from '/work/main/dist/analysis/analysis.service.js';
const texts = readFileSync('/work/shared/datasets/tweeteval-sentiment-en.val.jsonl','utf8').trim().split('\n').map(l=>JSON.parse(l).text)
  .concat(readFileSync('/work/shared/datasets/political-tweets-nl.dev.jsonl','utf8').trim().split('\n').map(l=>JSON.parse(l).text));
const s = new AnalysisService(AnalysisModels.fromFile());
for (let r=0;r<15;r++){ for (const x of texts) s.analyse({text:x, brandHandles:['@acme']}); }
