import { Injectable } from '@nestjs/common';
import { type AnalysisModel, readModelFile, STARTER_MODEL_FILE } from './model/model-file.js';

// The models the analysis scores with: the starter model, and a brand's own where its care
// team's corrections have trained one on top of it.
@Injectable()
export class AnalysisModels {
  private readonly brands = new Map<string, AnalysisModel>();

  constructor(readonly starter: AnalysisModel) {}

  static fromFile(path = STARTER_MODEL_FILE): AnalysisModels {
    return new AnalysisModels(readModelFile(path));
  }

  for(brand: string | null | undefined): AnalysisModel {
    return (brand && this.brands.get(brand)) || this.starter;
  }

  use(brand: string, model: AnalysisModel): void {
    this.brands.set(brand, model);
  }
}
