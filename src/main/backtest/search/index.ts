/** Parameter search for the strategy optimizer: spaces, grid, random and TPE samplers, successive halving. */
export * from './space';
export { Prng } from '../../core/prng';
export { gridPoints, GridTooLargeError, DEFAULT_MAX_GRID_POINTS, type GridLevels, type GridSpec, type GridOptions } from './grid';
export { RandomSampler, DEFAULT_MAX_ATTEMPTS, type Sampler, type Trial, type RandomSamplerOptions } from './sampler';
export { TpeSampler, defaultGamma, type TpeSamplerOptions } from './tpeSampler';
export { successiveHalving, type SuccessiveHalvingOptions, type SuccessiveHalvingResult, type Rung, type RungEntry } from './successiveHalving';
