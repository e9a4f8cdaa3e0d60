/**
 * Qwen2-VL's pixel budget (transformers' `smart_resize`, as transformers.js 4.x has it): both sides
 * rounded to a multiple of `factor` (patch × merge), the area kept within [minPixels, maxPixels]
 * with the aspect ratio. Returns [width, height].
 */
export function smartResize(
  height: number,
  width: number,
  factor: number,
  minPixels: number,
  maxPixels: number,
): [number, number] {
  let h = height;
  let w = width;
  if (h < factor || w < factor) {
    const scale = Math.max(factor / h, factor / w);
    h = Math.round(h * scale);
    w = Math.round(w * scale);
  }
  if (Math.max(h, w) / Math.min(h, w) > 200) {
    throw new RangeError(
      `The image's aspect ratio must be under 200 (it is ${Math.max(h, w) / Math.min(h, w)}).`,
    );
  }
  let hBar = Math.round(h / factor) * factor;
  let wBar = Math.round(w / factor) * factor;
  if (hBar * wBar > maxPixels) {
    const beta = Math.sqrt((h * w) / maxPixels);
    hBar = Math.max(factor, Math.floor(h / beta / factor) * factor);
    wBar = Math.max(factor, Math.floor(w / beta / factor) * factor);
  } else if (hBar * wBar < minPixels) {
    const beta = Math.sqrt(minPixels / (h * w));
    hBar = Math.ceil((h * beta) / factor) * factor;
    wBar = Math.ceil((w * beta) / factor) * factor;
  }
  return [wBar, hBar];
}
