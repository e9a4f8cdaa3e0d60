import { ModelError } from './errors.js';
import type { ModelLayout } from './layout.js';
import { type DeviceKind, DTYPE_PREFERENCE, type Dtype } from './variants.js';

export interface ChosenGraph {
  path: string;
  /** The variant chosen (HF layout); undefined for a genai model's single graph. */
  dtype?: Dtype;
  /** The embedding graph that feeds the decoder's inputs_embeds, when the layout has one. */
  embed?: string;
}

/** The embedding graph of `dtype`, else any (an embedding is a lookup: every variant gives the same). */
function embedFor(layout: ModelLayout, dtype: Dtype): string | undefined {
  return layout.embedGraphs[dtype] ?? layout.embedGraphs.fp32 ?? Object.values(layout.embedGraphs)[0];
}

export function availableDtypes(layout: ModelLayout): Dtype[] {
  return Object.keys(layout.graphs) as Dtype[];
}

/**
 * The graph to load: the asked variant, or the best one present for the device. Asking for a
 * variant the directory lacks is an error that lists what it has.
 */
export function selectGraph(layout: ModelLayout, requested: Dtype | 'auto', device: DeviceKind): ChosenGraph {
  if (layout.graph !== undefined) return { path: layout.graph };
  const present = availableDtypes(layout);
  if (requested !== 'auto') {
    const path = layout.graphs[requested];
    if (path === undefined) {
      throw new ModelError(
        'variant_missing',
        `${layout.dir} has no ${requested} variant; it has: ${present.join(', ')}. ` +
          'Pick one of those (--dtype / MODEL_DTYPE) or pull the variant you want.',
      );
    }
    return { path, dtype: requested, embed: embedFor(layout, requested) };
  }
  const dtype = DTYPE_PREFERENCE[device].find((d) => layout.graphs[d] !== undefined) ?? present[0];
  const path = dtype === undefined ? undefined : layout.graphs[dtype];
  if (dtype === undefined || path === undefined) {
    throw new ModelError('missing_file', `${layout.dir} holds no model graph.`);
  }
  return { path, dtype, embed: embedFor(layout, dtype) };
}
