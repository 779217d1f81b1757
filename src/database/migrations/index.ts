import { InitialSchema1795385695562 } from './1795385695562-InitialSchema.js';

export const MIGRATIONS = [InitialSchema1795385695562];
