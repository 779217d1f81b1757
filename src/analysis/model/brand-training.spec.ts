import { describe, expect, it } from '@jest/globals';
import { AnalysisModels } from '../analysis-models.js';
import { AnalysisService, trainingFeatures } from '../analysis.service.js';
import { trainBrandModel } from './brand-training.js';

const starter = AnalysisModels.fromFile().starter;
const analyse = (model: typeof starter, text: string) => new AnalysisService(new AnalysisModels(model)).analyse({ text, brandHandles: ['@acme'] });

describe('a brand model trained on corrections', () => {
  it('keeps the starter model when there is nothing to learn from', () => {
    const model = trainBrandModel(starter, [], 'brand-0');
    expect(model.complaint).toBe(starter.complaint);
    expect(model.topicWords).toBeUndefined();
  });

  it('learns a topic word the rules do not know from a few corrections, and keeps the rules for the rest', () => {
    const voucher = [
      '@acme my voucher code is not accepted at checkout',
      '@acme the voucher you sent me does not work',
      '@acme voucher code rejected again, what is going on',
      '@acme why is my gift voucher invalid',
      '@acme voucher expired the day after I got it',
      '@acme cannot redeem my voucher online',
    ];
    const question = '@acme my voucher keeps getting rejected';
    const before = analyse(starter, question).topic;
    const labels = voucher.map((text) => trainingFeatures({ text }, starter, { complaint: true, topic: 'pricing' }));
    const model = trainBrandModel(starter, labels, 'brand-1');
    expect(before).not.toBe('pricing');
    expect(analyse(model, question).topic).toBe('pricing');
    expect(analyse(model, '@acme my parcel has still not been delivered').topic).toBe('delivery');
  });
});
