/** The in-memory research store against the shared ResearchStore conformance suite. */
import { researchStoreConformance } from '../../../tests/support/researchStoreConformance';
import { InMemoryResearchStore } from './inMemoryResearchStore';

researchStoreConformance('InMemoryResearchStore', () => new InMemoryResearchStore());
