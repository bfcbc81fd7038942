import cse from '../../passes/cse.js';
import dce from '../../passes/dce.js';
import eliminateIdentity from '../../passes/eliminate-identity.js';
import foldBatchnorm from '../../passes/fold-batchnorm.js';
import foldConstants from '../../passes/fold-constants.js';
import pruneChannels from '../../passes/prune-channels.js';
import pruneMagnitude from '../../passes/prune-magnitude.js';
import simplify from '../../passes/simplify.js';
import simplifyShapes from '../../passes/simplify-shapes.js';
import type { AnyPass, NamedPipeline } from './pass.js';
import type { PassRegistry } from './pipeline.js';

/** Every pass, one line each; a new pass is one file in passes/ and one line here. */
const passes: AnyPass[] = [dce, foldConstants, simplifyShapes, eliminateIdentity, foldBatchnorm, cse, pruneMagnitude, pruneChannels];

/** Named pipelines, usable wherever a pass name is. */
const pipelines: NamedPipeline[] = [simplify];

export const defaultRegistry: PassRegistry = {
  passes: new Map(passes.map((p) => [p.name, p])),
  pipelines: new Map(pipelines.map((p) => [p.name, p])),
};
