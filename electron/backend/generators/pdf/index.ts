import type { BinderPlan } from '../../../../shared/binder/types.js';
import type { ConvertInput } from '../../convert/libreoffice.js';
import type { AssetSource } from '../../workspace/types.js';

export { renderPdfVolume, type ConvertedPdfs, type RenderVolumeOptions, type RenderVolumeResult } from './render.js';

/** Office files of the plan that need converting before rendering (each stored file once). */
export function conversionInputs(plan: BinderPlan, assets: AssetSource): ConvertInput[] {
  const seen = new Set<string>();
  const inputs: ConvertInput[] = [];
  for (const volume of plan.volumes) {
    for (const item of volume.items) {
      if (item.render.kind !== 'convert' || seen.has(item.sha256)) continue;
      seen.add(item.sha256);
      inputs.push({ sha256: item.sha256, path: assets.originalPath(item.sha256), ext: item.format });
    }
  }
  return inputs;
}
