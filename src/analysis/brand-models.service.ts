import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { brandsFor, type Caller } from '../auth/caller.js';
import { READERS } from '../auth/roles.decorator.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { AnalysisModels } from './analysis-models.js';
import { trainingFeatures } from './analysis.service.js';
import { trainBrandModel } from './model/brand-training.js';
import { PostLabelsService } from './post-labels.service.js';

export interface BrandModelStatus {
  brand: string;
  version: string;
  labels: number;
  trainedAt: Date | null;
}

// Each brand's model, retrained on a schedule from its care team's corrections, on top of the
// starter model. Only a brand with new corrections since its last training is retrained.
@Injectable()
export class BrandModelsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BrandModelsService.name);
  private readonly trained = new Map<string, { labels: number; newest: number; at: Date; version: string }>();

  constructor(
    private readonly models: AnalysisModels,
    private readonly labels: PostLabelsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The models live in memory: a restart trains them again from the stored labels.
    await this.retrainChanged();
    if (!this.config.worker.schedule) return;
    const tick = () => void this.retrainChanged().catch((error: Error) => this.logger.error(`retraining failed: ${error.message}`));
    this.scheduler.addInterval('retrain-brand-models', setInterval(tick, this.config.worker.retrainEveryMinutes * 60_000));
  }

  // Every brand on the schedule; a caller's own brands when a manager asks.
  async retrainChanged(caller?: Caller): Promise<string[]> {
    const brands = caller ? brandsFor(caller, ['manager', 'admin']) : 'all';
    const retrained: string[] = [];
    for (const [brand, { count, newest }] of await this.labels.summary()) {
      if (brands !== 'all' && !brands.includes(brand)) continue;
      const last = this.trained.get(brand);
      if (last && last.labels === count && last.newest === newest.getTime()) continue;
      await this.retrain(brand, count, newest);
      retrained.push(brand);
    }
    return retrained;
  }

  // The models of the brands the caller reads.
  status(caller: Caller): BrandModelStatus[] {
    const starter = this.models.starter.version;
    const brands = brandsFor(caller, READERS);
    return this.config.brands.filter((b) => brands === 'all' || brands.includes(b.id)).map((b) => {
      const t = this.trained.get(b.id);
      return t ? { brand: b.id, version: t.version, labels: t.labels, trainedAt: t.at } : { brand: b.id, version: starter, labels: 0, trainedAt: null };
    });
  }

  private async retrain(brand: string, count: number, newest: Date): Promise<void> {
    const starter = this.models.starter;
    const labelled = await this.labels.forBrand(brand);
    const features = labelled.map((l) => trainingFeatures({ text: l.text, lang: l.lang }, starter, l));
    const at = this.clock.now();
    const version = `${starter.version}+${brand}-${count}`;
    this.models.use(brand, trainBrandModel(starter, features, version));
    this.trained.set(brand, { labels: count, newest: newest.getTime(), at, version });
    this.logger.log(`retrained ${brand} from ${count} corrections: ${version}`);
  }
}
