/** The weight variants a model directory may ship (file suffixes such as `model_q4.onnx`). */
export const DTYPES = ['fp32', 'fp16', 'q4', 'q4f16', 'int8', 'uint8', 'quantized', 'bnb4'] as const;
export type Dtype = (typeof DTYPES)[number];
