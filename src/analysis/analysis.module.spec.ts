import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { AnalysisModule } from './analysis.module.js';
import { AnalysisService } from './analysis.service.js';

describe('AnalysisModule', () => {
  it('provides the analysis service to modules that import it', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AnalysisModule] }).compile();
    expect(moduleRef.get(AnalysisService).analyse({ text: 'thanks!' }).complaint.label).toBe(false);
    await moduleRef.close();
  });
});
