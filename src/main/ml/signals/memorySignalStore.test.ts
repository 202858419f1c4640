/** The memory signal store against the shared SignalStore conformance suite. */
import { signalStoreConformance } from '../../../../tests/support/signalStoreConformance';
import { MemorySignalStore } from './memorySignalStore';

signalStoreConformance('MemorySignalStore', () => new MemorySignalStore());
