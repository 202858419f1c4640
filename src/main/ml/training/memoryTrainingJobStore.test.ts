import { trainingJobStoreConformance } from '../../../../tests/support/trainingJobStoreConformance';
import { MemoryTrainingJobStore } from './memoryTrainingJobStore';

trainingJobStoreConformance('MemoryTrainingJobStore', (keep) => new MemoryTrainingJobStore(keep));
