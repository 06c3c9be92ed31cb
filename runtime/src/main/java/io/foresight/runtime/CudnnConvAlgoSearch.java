package io.foresight.runtime;

/** How cuDNN picks convolution algorithms on the CUDA execution provider. */
public enum CudnnConvAlgoSearch {
  /** Benchmarks every algorithm once per shape: slowest first run, fastest after. */
  EXHAUSTIVE,
  /** cuDNN's heuristics, no benchmarking. */
  HEURISTIC,
  /** ONNX Runtime's default algorithm. */
  DEFAULT
}
